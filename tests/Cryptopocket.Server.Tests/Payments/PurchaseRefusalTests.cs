using System.Net;
using System.Net.Http.Json;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Payments;

/// <summary>Every documented refusal of createPayment and createGuidedPayment (wire reference §5.3, §5.4); none writes anything.</summary>
public sealed class PurchaseRefusalTests(PurchaseRefusalTests.SmallLimitServer server) : IClassFixture<PurchaseRefusalTests.SmallLimitServer>
{
    /// <summary>A lower quarterly card limit so the limit tests stay quick.</summary>
    public sealed class SmallLimitServer : ServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
            base.Overrides.Append(new("Payments:QuarterlyCardLimit", "500"));
    }

    private async Task<string> RefusalAsync(PurchaseKit kit, object body, string path = "/api/createPayment")
    {
        var before = await server.CountAsync<Payment>();
        var json = await kit.PostAsync(path, body);
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Equal(before, await server.CountAsync<Payment>());
        return json.GetProperty("error").GetString()!;
    }

    [Fact]
    public async Task MissingUserIdIsFailMandatoryField()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var body = PurchaseKit.CardBody(1);
        body.Remove("user_id");

        Assert.Equal("fail_mandatory_field", await RefusalAsync(kit, body));
        Assert.Equal("fail_mandatory_field", await RefusalAsync(kit, new { coin_symbol = "USDC" }, "/api/createGuidedPayment"));
    }

    [Fact]
    public async Task UnknownCustomerIsUserNotFound()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        Assert.Equal("user_not_found", await RefusalAsync(kit, PurchaseKit.CardBody(999_999_999)));
    }

    [Fact]
    public async Task BannedCustomerIsUserBanned()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.UpdateAsync(user, c => c.Banned = true, CancellationToken.None));

        Assert.Equal("user_banned", await RefusalAsync(kit, PurchaseKit.CardBody(user)));
    }

    [Fact]
    public async Task CustomerWithoutValidKycGetsRequireKycWithTheFormUrlInData()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.RegisterAsync();

        var json = await kit.PostAsync("/api/createGuidedPayment", PurchaseKit.GuidedBody(user));

        Assert.Equal("require_kyc", json.GetProperty("error").GetString());
        Assert.StartsWith(server.BaseAddress + "kyc/", json.GetProperty("data").GetString());
    }

    [Fact]
    public async Task AboveTheThresholdWithoutEnhancedVerificationIsKycReinforcedRequired()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();

        var json = await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 1000.01m, type: "transfer"));

        Assert.Equal("kyc_reinforced_required", json.GetProperty("error").GetString());
        Assert.Equal(PurchaseCreation.ReinforcedKycMessage, json.GetProperty("message").GetString());
        var reinforced = await kit.ApprovedCustomerAsync(reinforced: true);
        Assert.Equal("sucess", (await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(reinforced, 1000.01m, type: "transfer"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheQuarterlyCardLimitHoldsUnderParallelPurchases()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();

        // Limit 500: ten parallel card purchases of 100 → exactly five fit.
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 100m))));

        Assert.Equal(5, answers.Count(a => a.GetProperty("status").GetString() == "success"));
        Assert.All(answers.Where(a => a.GetProperty("status").GetString() == "error"), a => Assert.Equal("limit_exceded", a.GetProperty("error").GetString()));
        // Transfers do not count against the card limit.
        Assert.Equal("sucess", (await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 100m, type: "transfer"))).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("DOGE", "polygon")]
    [InlineData("ETH", "polygon")]
    [InlineData("USDC", "solana")]
    public async Task AnUnsupportedCoinOrChainIsCoinNotSupported(string coin, string chain)
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var body = PurchaseKit.CardBody(await kit.ApprovedCustomerAsync());
        body["coin_symbol"] = coin;
        body["coin_chain"] = chain;

        Assert.Equal("coin_not_supported", await RefusalAsync(kit, body));
    }

    [Fact]
    public async Task BelowTheMinimumIsMinPurchaseNamingTheMinimum()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var json = await kit.PostAsync("/api/createGuidedPayment", PurchaseKit.GuidedBody(await kit.ApprovedCustomerAsync(), 9.99m));

        Assert.Equal("min_purchase", json.GetProperty("error").GetString());
        Assert.Contains("10.00", json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMethodTheIntegrationMayNotUseIsMethodNotAllowed()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        await server.WithServiceAsync<IntegrationSummary, IntegrationService>(s => s.SetPaymentMethodsAsync(kit.Credentials.Name, ["transfer"], CancellationToken.None));

        Assert.Equal("method_not_allowed", await RefusalAsync(kit, PurchaseKit.CardBody(user)));
        Assert.Equal("method_not_allowed", await RefusalAsync(kit, PurchaseKit.CardBody(user, type: "paypal")));
        Assert.Equal("method_not_allowed", await RefusalAsync(kit, PurchaseKit.CardBody(user, type: "KHIPU")));
    }

    [Fact]
    public async Task GuidedPurchasesAreEurOnly()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var body = PurchaseKit.GuidedBody(await kit.ApprovedCustomerAsync());
        body["fiat_symbol"] = "ARS";

        Assert.Equal("guided_payment_eur_only", await RefusalAsync(kit, body, "/api/createGuidedPayment"));
        var card = PurchaseKit.CardBody(1);
        card["fiat_symbol"] = "USD";
        Assert.Equal("fiat_not_supported", await RefusalAsync(kit, card));
    }

    public static TheoryData<string, object?> MalformedFields => new()
    {
        { "fiat_amount", -10 },
        { "fiat_amount", 0 },
        { "fiat_amount", "abc" },
        { "fiat_amount", 10.001 },
        { "fiat_amount", "1e5" },
        { "fiat_amount", 99999999999999999999999999m },
        { "user_id", "abc" },
        { "user_id", 1.5 },
        { "wallet", "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed" },
        { "wallet", "0x123" },
        { "wallet", "0x0000000000000000000000000000000000000000" },
        { "wallet", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq" },
        { "callback_url", "ftp://example.com" },
        { "external_id", new string('x', 101) },
    };

    [Theory]
    [MemberData(nameof(MalformedFields))]
    public async Task MalformedFieldsAreA422NamingTheFieldAndWriteNothing(string field, object? value)
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var body = PurchaseKit.CardBody(await kit.ApprovedCustomerAsync());
        body[field] = value;
        var before = await server.CountAsync<Payment>();

        var response = await kit.Http.PostAsJsonAsync("/api/createPayment", body);

        await response.AssertValidationErrorAsync(field);
        Assert.Equal(before, await server.CountAsync<Payment>());
    }

    [Fact]
    public async Task AnonymousAndForgedCallersCreateNothing()
    {
        using var anonymous = server.CreateHttpClient();
        var before = await server.CountAsync<Payment>();

        var response = await anonymous.PostAsJsonAsync("/api/createPayment", PurchaseKit.CardBody(1));

        await response.AssertBusinessErrorAsync("authorization_incorrect");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await server.CountAsync<Payment>());
    }
}
