using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Rampoffs;
using Cryptopocket.Server.Features.Rampoffs.Deposits;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Rampoffs;

/// <summary>
/// The off-ramp's partner API without a chain: createRampoff (wire reference §6.2), getRampoff (§6.3), the quote and
/// the list, and every refusal. The deposit factory is configured with its code hash, so addresses are derived offline.
/// </summary>
public sealed class RampoffApiTests(RampoffApiTests.OffRampServer server) : IClassFixture<RampoffApiTests.OffRampServer>
{
    public const string Factory = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    public const string CodeHash = "0x1d3c5a9f1c6e9a0e4b5d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e";
    public const string Iban = "ES9121000418450200051332";

    public sealed class OffRampServer : ServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Overrides => base.Overrides.Concat(
        [
            // No node: background rounds stay off, and creation needs none because the code hash is configured.
            new("Settlement:Enabled", "false"),
            new("Settlement:Chains:polygon:RpcUrl", "http://127.0.0.1:9/"),
            new("Settlement:Chains:polygon:ChainId", "31337"),
            new("Settlement:Chains:polygon:DepositFactory", Factory),
            new("Settlement:Chains:polygon:DepositCodeHash", CodeHash),
            new("Settlement:Chains:polygon:NativeSymbol", "POL"),
        ]);
    }

    private static Dictionary<string, object?> Body(long userId, object? amount = null, string symbol = "USDC", string chain = "polygon", string? iban = Iban) => new()
    {
        ["user_id"] = userId,
        ["amount"] = amount ?? 100.5m,
        ["blockchain"] = chain,
        ["symbol"] = symbol,
        ["iban"] = iban,
    };

    private async Task<string> RefusalAsync(PurchaseKit kit, object body)
    {
        var before = await server.CountAsync<Rampoff>();
        var json = await kit.PostAsync("/api/createRampoff", body);
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Equal(before, await server.CountAsync<Rampoff>());
        return json.GetProperty("error").GetString()!;
    }

    private async Task<JsonElement> InvalidAsync(PurchaseKit kit, object body, params string[] fields)
    {
        var before = await server.CountAsync<Rampoff>();
        var response = await kit.Http.PostAsJsonAsync("/api/createRampoff", body);
        var json = await response.AssertValidationErrorAsync(fields);
        Assert.Equal(before, await server.CountAsync<Rampoff>());
        return json;
    }

    [Fact]
    public async Task CreateAnswersExactlyTheDocumentedShapeWithTheOperationsOwnCreate2Address()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();

        var response = await kit.Http.PostAsJsonAsync("/api/createRampoff", Body(user));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(text);
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(["status", "data"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(["rampoff", "wallet", "id"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal("payment created", data.GetProperty("rampoff").GetString());
        var id = data.GetProperty("id").GetString()!;
        Assert.Matches("^[A-Za-z0-9]{25}$", id);
        Assert.Equal(DepositAddresses.Compute(Factory, DepositAddresses.SaltFor(id), CodeHash), data.GetProperty("wallet").GetString());
    }

    [Fact]
    public async Task EveryOperationGetsADifferentDepositAddress()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var wallets = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var json = await kit.PostAsync("/api/createRampoff", Body(user));
            Assert.True(wallets.Add(json.GetProperty("data").GetProperty("wallet").GetString()!));
        }
    }

    [Fact]
    public async Task GetRampoffHasTheDocumentedFieldsTypesAndOrderWithTheLockedQuote()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var created = await kit.PostAsync("/api/createRampoff", Body(user, amount: "100.5"));
        var id = created.GetProperty("data").GetProperty("id").GetString();

        var json = await (await kit.Http.GetAsync($"/api/getRampoff?id={id}")).JsonAsync();
        var data = json.GetProperty("data");

        Assert.Equal("ok", json.GetProperty("status").GetString());
        Assert.Equal(["id", "status", "blockchain", "crypto", "amount", "decimals", "fiat_amount"], data.EnumerateObject().Take(7).Select(p => p.Name));
        Assert.Equal("waiting_crypto", data.GetProperty("status").GetString());
        Assert.Equal("polygon", data.GetProperty("blockchain").GetString());
        Assert.Equal("USDC", data.GetProperty("crypto").GetString());
        Assert.Equal(JsonValueKind.String, data.GetProperty("amount").ValueKind);
        Assert.Equal("100500000", data.GetProperty("amount").GetString());
        Assert.Equal(6, data.GetProperty("decimals").GetInt32());
        // 100.5 × 0.92 = 92.46 gross; 1 % processing 0.92 (0.9246 rounded), network 0.10: 91.44 paid out.
        Assert.Equal(JsonValueKind.String, data.GetProperty("fiat_amount").ValueKind);
        Assert.Equal("91.44", data.GetProperty("fiat_amount").GetString());
        Assert.Equal("0.92", data.GetProperty("fees").GetProperty("processing").GetString());
        Assert.Equal("0.10", data.GetProperty("fees").GetProperty("network").GetString());
        Assert.Equal("0", data.GetProperty("received_amount").GetString());
        Assert.Equal(created.GetProperty("data").GetProperty("wallet").GetString(), data.GetProperty("wallet").GetString());
        Assert.Equal(Iban, data.GetProperty("iban").GetString());
    }

    [Fact]
    public async Task QuoteMatchesWhatCreationLocks()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();

        var quote = (await (await kit.Http.GetAsync("/api/getRampoffQuote?amount=250&symbol=usdc&blockchain=polygon")).JsonAsync()).GetProperty("data");
        var id = (await kit.PostAsync("/api/createRampoff", Body(user, amount: 250))).GetProperty("data").GetProperty("id").GetString();
        var detail = (await (await kit.Http.GetAsync($"/api/getRampoff?id={id}")).JsonAsync()).GetProperty("data");

        Assert.Equal("250.000000", quote.GetProperty("amount").GetString());
        Assert.Equal("250000000", quote.GetProperty("amount_base_units").GetString());
        Assert.Equal("230.00", quote.GetProperty("gross_fiat_amount").GetString());
        Assert.Equal("227.60", quote.GetProperty("fiat_amount").GetString());
        Assert.Equal("2.40", quote.GetProperty("fees").GetProperty("total").GetString());
        Assert.Equal(detail.GetProperty("fiat_amount").GetString(), quote.GetProperty("fiat_amount").GetString());
        Assert.True(quote.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(20));
    }

    [Fact]
    public async Task QuoteRefusesLikeCreation()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        async Task<string> Code(string query) => (await (await kit.Http.GetAsync($"/api/getRampoffQuote?{query}")).JsonAsync()).GetProperty("error").GetString()!;

        Assert.Equal("coin_not_supported", await Code("amount=100&symbol=USDC&blockchain=ethereum"));
        Assert.Equal("coin_not_supported", await Code("amount=100&symbol=DOGE&blockchain=polygon"));
        Assert.Equal("min_purchase", await Code("amount=5&symbol=USDC&blockchain=polygon"));
        Assert.Equal("limit_exceded", await Code("amount=100000&symbol=USDC&blockchain=polygon"));
        await (await kit.Http.GetAsync("/api/getRampoffQuote?amount=1.1234567&symbol=USDC&blockchain=polygon")).AssertValidationErrorAsync("amount");
        await (await kit.Http.GetAsync("/api/getRampoffQuote?symbol=USDC")).AssertValidationErrorAsync("amount");
        await (await kit.Http.GetAsync("/api/getRampoffQuote?amount=abc&symbol=USDC")).AssertValidationErrorAsync("amount");
    }

    [Fact]
    public async Task MissingMandatoryFieldsAreFailMandatoryField()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        foreach (var field in new[] { "user_id", "amount", "blockchain", "symbol" })
        {
            var body = Body(user);
            body.Remove(field);
            Assert.Equal("fail_mandatory_field", await RefusalAsync(kit, body));
        }
        // No IBAN in the request and none registered for the customer.
        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.UpdateAsync(user, c => c.Iban = null, CancellationToken.None));
        Assert.Equal("fail_mandatory_field", await RefusalAsync(kit, Body(user, iban: null)));
    }

    [Fact]
    public async Task TheIbanGivenAtRegistrationIsUsedWhenTheRequestHasNone()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.UpdateAsync(user, c => c.Iban = "DE89370400440532013000", CancellationToken.None));

        var id = (await kit.PostAsync("/api/createRampoff", Body(user, iban: null))).GetProperty("data").GetProperty("id").GetString();
        var detail = (await (await kit.Http.GetAsync($"/api/getRampoff?id={id}")).JsonAsync()).GetProperty("data");

        Assert.Equal("DE89370400440532013000", detail.GetProperty("iban").GetString());
    }

    [Fact]
    public async Task MalformedFieldsAreLaravel422AndWriteNothing()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();

        await InvalidAsync(kit, Body(user, iban: "ES9121000418450200051333"), "iban");
        await InvalidAsync(kit, Body(user, iban: "not an iban at all"), "iban");
        await InvalidAsync(kit, Body(user, amount: "ten"), "amount");
        await InvalidAsync(kit, Body(user, amount: -5), "amount");
        await InvalidAsync(kit, Body(user, amount: 0), "amount");
        await InvalidAsync(kit, Body(user, amount: "1e6"), "amount");
        await InvalidAsync(kit, Body(user, amount: "99999999999999999999999999"), "amount");
        // USDC has 6 decimals: a seventh is a unit that cannot be sent.
        var json = await InvalidAsync(kit, Body(user, amount: "100.1234567"), "amount");
        Assert.Contains("6 decimal places", json.GetProperty("errors").GetProperty("amount")[0].GetString());
        await InvalidAsync(kit, new Dictionary<string, object?> { ["user_id"] = "abc", ["amount"] = 100, ["blockchain"] = "polygon", ["symbol"] = "USDC", ["iban"] = Iban }, "user_id");
        await InvalidAsync(kit, new Dictionary<string, object?> { ["user_id"] = user, ["amount"] = 100, ["blockchain"] = new[] { 1 }, ["symbol"] = "USDC", ["iban"] = Iban }, "blockchain");
        await InvalidAsync(kit, new Dictionary<string, object?> { ["user_id"] = user, ["amount"] = 100, ["blockchain"] = "polygon", ["symbol"] = new string('X', 5000), ["iban"] = Iban }, "symbol");
    }

    [Fact]
    public async Task BusinessRefusalsUseThePurchaseErrorCodesAndWriteNothing()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var approved = await kit.ApprovedCustomerAsync();
        var unverified = await kit.RegisterAsync();
        var banned = await kit.ApprovedCustomerAsync();
        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.UpdateAsync(banned, c => c.Banned = true, CancellationToken.None));
        var other = await PurchaseKit.CreateAsync(server);
        var foreign = await other.ApprovedCustomerAsync();

        Assert.Equal("user_not_found", await RefusalAsync(kit, Body(999_999_999)));
        Assert.Equal("user_not_found", await RefusalAsync(kit, Body(foreign)));
        Assert.Equal("user_banned", await RefusalAsync(kit, Body(banned)));
        Assert.Equal("require_kyc", await RefusalAsync(kit, Body(unverified)));
        Assert.Equal("coin_not_supported", await RefusalAsync(kit, Body(approved, chain: "ethereum")));
        Assert.Equal("coin_not_supported", await RefusalAsync(kit, Body(approved, symbol: "ETH")));
        Assert.Equal("coin_not_supported", await RefusalAsync(kit, Body(approved, chain: "solana")));
        Assert.Equal("min_purchase", await RefusalAsync(kit, Body(approved, amount: 10)));
        Assert.Equal("limit_exceded", await RefusalAsync(kit, Body(approved, amount: 20_000)));
        // 1,200 USDC is worth 1,104 EUR: above the reinforced-KYC threshold of 1,000.
        Assert.Equal("kyc_reinforced_required", await RefusalAsync(kit, Body(approved, amount: 1200)));
        var reinforced = await kit.ApprovedCustomerAsync(reinforced: true);
        Assert.Equal("ok", (await kit.PostAsync("/api/createRampoff", Body(reinforced, amount: 1200))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnotherIntegrationsOperationIsNotFound()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var id = (await kit.PostAsync("/api/createRampoff", Body(user))).GetProperty("data").GetProperty("id").GetString();
        var other = await PurchaseKit.CreateAsync(server);

        await (await other.Http.GetAsync($"/api/getRampoff?id={id}")).AssertBusinessErrorAsync("rampoff_not_found");
        await (await kit.Http.GetAsync("/api/getRampoff?id=short")).AssertBusinessErrorAsync("rampoff_not_found");
        await (await kit.Http.GetAsync("/api/getRampoff")).AssertValidationErrorAsync("id");
        var list = await (await other.Http.GetAsync("/api/rampoffs")).JsonAsync();
        Assert.Equal(0, list.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ARepeatedExternalIdAnswersTheSameOperation()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var body = Body(user);
        body["external_id"] = "sale-42";

        var first = (await kit.PostAsync("/api/createRampoff", body)).GetProperty("data");
        var second = (await kit.PostAsync("/api/createRampoff", body)).GetProperty("data");

        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("wallet").GetString(), second.GetProperty("wallet").GetString());
    }

    [Fact]
    public async Task TheListIsTheIntegrationsOwnNewestFirstFilteredAndPaginated()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await kit.PostAsync("/api/createRampoff", Body(user))).GetProperty("data").GetProperty("id").GetString()!);
        }

        var page = await (await kit.Http.GetAsync("/api/rampoffs?per_page=2&status=waiting_crypto")).JsonAsync();
        var second = await (await kit.Http.GetAsync("/api/rampoffs?per_page=2&page=2")).JsonAsync();

        Assert.Equal(3, page.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("pagination").GetProperty("last_page").GetInt32());
        var listed = page.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.AsEnumerable().Reverse(), listed);
        await (await kit.Http.GetAsync("/api/rampoffs?status=nonsense")).AssertValidationErrorAsync("status");
        Assert.Equal(0, (await (await kit.Http.GetAsync("/api/rampoffs?status=finished")).JsonAsync()).GetProperty("pagination").GetProperty("total").GetInt32());
    }
}
