using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Cryptopocket.Client.Tests.Infrastructure;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client.Tests;

public sealed class RampoffClientTests
{
    private const string RampoffId = "S35AJ0gSzf6P30XJRc2yMsIOK";
    private const string DepositAddress = "0x8C1bC0e5bE7A1c3A3f1f0a2B4d6E8f0A1b2C3e2A";

    /// <summary>The documented getRampoff example (wire reference §6.3), exactly.</summary>
    private const string Documented = """
        "id":"S35AJ0gSzf6P30XJRc2yMsIOK","status":"finished","blockchain":"bsc","crypto":"BUSD","amount":"20000000000000000000","decimals":18,"fiat_amount":"4800.24"
        """;

    /// <summary>
    /// The additive fields after it. 20 BUSD at 242.4415 is 4848.83 gross; 1 % processing 48.49 and network 0.10 leave
    /// 4800.24. Half a BUSD more than asked arrived.
    /// </summary>
    private const string Extras = $$"""
        "fiat_symbol":"EUR","user_id":9007199254740993,"external_id":"sale-9","wallet":"{{DepositAddress}}",
        "received_amount":"20500000000000000000","rate":"242.441500",
        "fees":{"processing":"48.49","network":"0.10","partner":"0.00","total":"48.59"},"iban":"ES9121000418450200051332",
        "failure_reason":null,"deposit_deadline":"2026-06-26T10:30:00.000000Z","created_at":"2026-06-26T10:00:00.000000Z",
        "updated_at":"2026-06-26T10:12:00.000000Z"
        """;

    private const string Quote = """
        {"amount":"250.000000","amount_base_units":"250000000","decimals":6,"symbol":"USDC",
         "blockchain":"polygon","fiat_symbol":"EUR","rate":"0.920000","gross_fiat_amount":"230.00",
         "fees":{"processing":"2.30","network":"0.10","partner":"0.00","total":"2.40"},"fiat_amount":"227.60",
         "expires_at":"2026-11-22T10:30:00.000000Z"}
        """;

    private const string Created = $$$"""
        {"status":"ok","data":{"rampoff":"payment created","wallet":"{{{DepositAddress}}}","id":"{{{RampoffId}}}"}}
        """;

    private static readonly CreateRampoffRequest Sale = new()
    {
        UserId = 42,
        Amount = 100.5m,
        Blockchain = "polygon",
        Symbol = "USDC",
        Iban = "ES9121000418450200051332",
        ExternalId = "sale-9",
    };

    private static string Detail(string? id = null, string status = "finished") =>
        "{" + Documented.Replace("S35AJ0gSzf6P30XJRc2yMsIOK", id ?? RampoffId, StringComparison.Ordinal)
            .Replace("\"finished\"", $"\"{status}\"", StringComparison.Ordinal) + "," + Extras + "}";

    private static string Page(IEnumerable<string> ids, int page, int perPage, int total, int lastPage) => $$$"""
        {"status":"ok","data":[{{{string.Join(",", ids.Select(id => Detail(id)))}}}],
         "pagination":{"current_page":{{{page}}},"per_page":{{{perPage}}},"total":{{{total}}},"last_page":{{{lastPage}}}}}
        """;

    [Fact]
    public async Task QuotesASaleAndReadsItsAmountsExactly()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Quote));
        using var client = api.CreateClient();

        var quote = await client.GetRampoffQuoteAsync(new RampoffQuoteOptions { Amount = 250m, Symbol = "USDC", Blockchain = "polygon" });

        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Get, call.Method);
        Assert.Equal("/api/getRampoffQuote", call.Path);
        Assert.Equal("?amount=250&symbol=USDC&blockchain=polygon", call.Uri.Query);
        Assert.Equal("token-1", call.Auth);
        Assert.Equal(
            new RampoffQuoteResult(
                250m, new BigInteger(250_000_000), 6, "USDC", "polygon", "EUR", 0.92m, 230m,
                new QuoteFeeBreakdown(2.30m, 0.10m, 0m, 2.40m), 227.60m, new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero)),
            quote);
        // Built from the base units, so it keeps the coin's six decimals.
        Assert.Equal("250.000000", quote.Amount.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task LeavesTheChainOfAQuoteToTheServerAndFormatsTheAmountInvariantly()
    {
        var commaCulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = commaCulture;
        try
        {
            using var api = new FakeApi();
            api.Endpoint = _ => Task.FromResult(Respond.Ok(Quote));
            using var client = api.CreateClient();

            await client.GetRampoffQuoteAsync(new RampoffQuoteOptions { Amount = 100.5m, Symbol = "US DC" });

            Assert.Equal("?amount=100.5&symbol=US%20DC", Assert.Single(api.Calls).Uri.Query);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(ErrorCodes.MinPurchase)]
    [InlineData(ErrorCodes.LimitExceeded)]
    [InlineData(ErrorCodes.CoinNotSupported)]
    public async Task SurfacesQuoteRefusals(string code)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error(code));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(
            () => client.GetRampoffQuoteAsync(new RampoffQuoteOptions { Amount = 5m, Symbol = "USDC" }));

        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task PostsCreateRampoffAsSnakeCaseJsonWithTheCallersKey()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Created));
        using var client = api.CreateClient();

        var created = await client.CreateRampoffAsync(Sale, new RequestOptions { IdempotencyKey = "sale-9/attempt" });

        Assert.Equal(new RampoffCreatedResult(RampoffId, DepositAddress), created);
        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal("/api/createRampoff", call.Path);
        Assert.Equal("token-1", call.Auth);
        Assert.Equal("sale-9/attempt", call.IdempotencyKey);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal(
            ["user_id", "amount", "blockchain", "symbol", "iban", "external_id"],
            body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(42, body.RootElement.GetProperty("user_id").GetInt64());
        Assert.Equal(100.5m, body.RootElement.GetProperty("amount").GetDecimal());
        Assert.Equal("ES9121000418450200051332", body.RootElement.GetProperty("iban").GetString());
    }

    [Fact]
    public async Task LeavesOutTheIbanToUseTheRegisteredOne()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Created));
        using var client = api.CreateClient();

        await client.CreateRampoffAsync(Sale with { Iban = null, ExternalId = null, BankName = "Caixa" });

        using var body = JsonDocument.Parse(Assert.Single(api.Calls).Body!);
        Assert.False(body.RootElement.TryGetProperty("iban", out _));
        Assert.False(body.RootElement.TryGetProperty("external_id", out _));
        Assert.Equal("Caixa", body.RootElement.GetProperty("bank_name").GetString());
    }

    [Fact]
    public async Task GeneratesADifferentIdempotencyKeyForEachCreation()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Created));
        using var client = api.CreateClient();

        await client.CreateRampoffAsync(Sale);
        await client.CreateRampoffAsync(Sale, new RequestOptions());

        var keys = api.Calls.Select(c => c.IdempotencyKey).ToList();
        Assert.All(keys, key => Assert.Matches("^[0-9a-f]{32}$", key));
        Assert.NotEqual(keys[0], keys[1]);
    }

    [Fact]
    public async Task RetriesCreateRampoffWithTheSameGeneratedKeyAfterTokenRevocation()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(request.Auth == "token-1"
            ? Respond.Error(ErrorCodes.AuthorizationIncorrect)
            : Respond.Json(Created));
        using var client = api.CreateClient();

        var created = await client.CreateRampoffAsync(Sale);

        Assert.Equal(RampoffId, created.Id);
        Assert.Equal(["token-1", "token-2"], api.Calls.Select(c => c.Auth));
        Assert.NotNull(api.Calls[0].IdempotencyKey);
        Assert.Equal(api.Calls[0].IdempotencyKey, api.Calls[1].IdempotencyKey);
        Assert.Equal(api.Calls[0].Body, api.Calls[1].Body);
    }

    [Fact]
    public async Task RetriesCreateRampoffWithTheCallersKeyAfterTokenRevocation()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(request.Auth == "token-1"
            ? Respond.Error(ErrorCodes.AuthorizationIncorrect)
            : Respond.Json(Created));
        using var client = api.CreateClient();

        await client.CreateRampoffAsync(Sale, new RequestOptions { IdempotencyKey = "sale-9" });

        Assert.Equal(["sale-9", "sale-9"], api.Calls.Select(c => c.IdempotencyKey));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public async Task RefusesAnIdempotencyKeyTheServerWouldRefuseWithoutSendingIt(string key)
    {
        using var api = new FakeApi();
        using var client = api.CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateRampoffAsync(Sale, new RequestOptions { IdempotencyKey = key }));

        Assert.Empty(api.Handler.Requests);
    }

    [Theory]
    [InlineData(ErrorCodes.RequireKyc)]
    [InlineData(ErrorCodes.MinPurchase)]
    [InlineData(ErrorCodes.FailMandatoryField)]
    [InlineData(ErrorCodes.IdempotencyKeyReused)]
    public async Task SurfacesCreationRefusals(string code)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error(code));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.CreateRampoffAsync(Sale));

        Assert.Equal(code, error.ErrorCode);
        Assert.Single(api.Calls);
    }

    [Theory]
    [InlineData("""{"status":"ok","data":{"rampoff":"payment created","id":"S35AJ0gSzf6P30XJRc2yMsIOK"}}""")]
    [InlineData("""{"status":"ok","data":{"rampoff":"payment created","wallet":"0x8C","id":null}}""")]
    [InlineData("""{"status":"ok","data":null}""")]
    public async Task MapsACreationAnswerThatBreaksTheContractToUnexpectedResponse(string json)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(json));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.CreateRampoffAsync(Sale));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task ReadsTheDocumentedRampoffAndItsAdditiveFields()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Detail()));
        using var client = api.CreateClient();

        var rampoff = await client.GetRampoffAsync(RampoffId);

        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Get, call.Method);
        Assert.Equal("/api/getRampoff", call.Path);
        Assert.Equal($"?id={RampoffId}", call.Uri.Query);
        Assert.Equal("token-1", call.Auth);
        Assert.Null(call.IdempotencyKey);
        Assert.Equal(RampoffId, rampoff.Id);
        Assert.Equal(RampoffStatus.Finished, rampoff.Status);
        Assert.Equal("bsc", rampoff.Blockchain);
        Assert.Equal("BUSD", rampoff.Symbol);
        // 20 × 10^18 is beyond a long; the base units are exact and the decimal view keeps the 18 decimals.
        Assert.Equal(BigInteger.Parse("20000000000000000000", CultureInfo.InvariantCulture), rampoff.AmountBaseUnits);
        Assert.Equal(18, rampoff.Decimals);
        Assert.Equal(20m, rampoff.Amount);
        Assert.Equal("20.000000000000000000", rampoff.Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(4800.24m, rampoff.FiatAmount);
        Assert.Equal("EUR", rampoff.FiatSymbol);
        Assert.Equal(9_007_199_254_740_993L, rampoff.UserId);
        Assert.Equal("sale-9", rampoff.ExternalId);
        Assert.Equal(DepositAddress, rampoff.DepositAddress);
        Assert.Equal(BigInteger.Parse("20500000000000000000", CultureInfo.InvariantCulture), rampoff.ReceivedBaseUnits);
        Assert.Equal(20.5m, rampoff.ReceivedAmount);
        Assert.Equal(242.4415m, rampoff.Rate);
        Assert.Equal(new QuoteFeeBreakdown(48.49m, 0.10m, 0m, 48.59m), rampoff.Fees);
        Assert.Equal("ES9121000418450200051332", rampoff.Iban);
        Assert.Null(rampoff.FailureReason);
        Assert.Equal(new DateTimeOffset(2026, 6, 26, 10, 30, 0, TimeSpan.Zero), rampoff.DepositDeadline);
        Assert.Equal(new DateTimeOffset(2026, 6, 26, 10, 0, 0, TimeSpan.Zero), rampoff.CreatedAt);
        Assert.Equal(new DateTimeOffset(2026, 6, 26, 10, 12, 0, TimeSpan.Zero), rampoff.UpdatedAt);
    }

    [Fact]
    public async Task EscapesTheRampoffIdInTheQuery()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Detail()));
        using var client = api.CreateClient();

        await client.GetRampoffAsync("a&b=c d/..");

        var call = Assert.Single(api.Calls);
        Assert.Equal("/api/getRampoff", call.Path);
        Assert.Equal("?id=a%26b%3Dc%20d%2F..", call.Uri.Query);
    }

    [Theory]
    [InlineData("waiting_crypto", RampoffStatus.WaitingCrypto)]
    [InlineData("crypto_received", RampoffStatus.CryptoReceived)]
    [InlineData("payout_sent", RampoffStatus.PayoutSent)]
    [InlineData("finished", RampoffStatus.Finished)]
    [InlineData("expired", RampoffStatus.Expired)]
    [InlineData("rejected", RampoffStatus.Rejected)]
    [InlineData("refunded", RampoffStatus.Unknown)]
    [InlineData("", RampoffStatus.Unknown)]
    public async Task MapsRampoffStatusesAndTreatsUnknownOnesAsUnknown(string wire, RampoffStatus expected)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Detail(status: wire)));
        using var client = api.CreateClient();

        var rampoff = await client.GetRampoffAsync(RampoffId);

        Assert.Equal(expected, rampoff.Status);
    }

    [Theory]
    // Base units are a whole-number string: no sign, point, exponent, hex, spaces or JSON number.
    [InlineData("\"amount\":\"20000000000000000000\"", "\"amount\":\"-1\"")]
    [InlineData("\"amount\":\"20000000000000000000\"", "\"amount\":\"+1\"")]
    [InlineData("\"amount\":\"20000000000000000000\"", "\"amount\":\"20.5\"")]
    [InlineData("\"amount\":\"20000000000000000000\"", "\"amount\":\"2e19\"")]
    [InlineData("\"amount\":\"20000000000000000000\"", "\"amount\":\"0x10\"")]
    [InlineData("\"amount\":\"20000000000000000000\"", "\"amount\":\" 20\"")]
    [InlineData("\"amount\":\"20000000000000000000\"", "\"amount\":\"\"")]
    [InlineData("\"amount\":\"20000000000000000000\"", "\"amount\":null")]
    [InlineData("\"amount\":\"20000000000000000000\"", "\"amount\":20000000000000000000")]
    [InlineData("\"received_amount\":\"20500000000000000000\"", "\"received_amount\":\"20,5\"")]
    [InlineData("\"decimals\":18", "\"decimals\":-1")]
    [InlineData("\"decimals\":18", "\"decimals\":256")]
    [InlineData("\"decimals\":18", "\"decimals\":\"18\"")]
    [InlineData("\"fiat_amount\":\"4800.24\"", "\"fiat_amount\":480024")]
    [InlineData("\"fiat_amount\":\"4800.24\"", "\"fiat_amount\":\"4.800,24\"")]
    [InlineData("\"iban\":\"ES9121000418450200051332\",", "")]
    [InlineData("\"fees\":{\"processing\":\"48.49\",\"network\":\"0.10\",\"partner\":\"0.00\",\"total\":\"48.59\"}", "\"fees\":null")]
    public async Task MapsARampoffThatBreaksTheContractToUnexpectedResponse(string field, string replacement)
    {
        using var api = new FakeApi();
        var detail = Detail();
        Assert.Contains(field, detail, StringComparison.Ordinal);
        api.Endpoint = _ => Task.FromResult(Respond.Ok(detail.Replace(field, replacement, StringComparison.Ordinal)));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetRampoffAsync(RampoffId));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    [Theory]
    // Exact while decimal holds it, whatever the decimals.
    [InlineData("79228162514264337593543950335", 0, "79228162514264337593543950335")]
    [InlineData("79228162514264337593543950335", 28, "7.9228162514264337593543950335")]
    [InlineData("1", 28, "0.0000000000000000000000000001")]
    [InlineData("0", 18, "0.000000000000000000")]
    // Beyond 28 to 29 significant digits, or 28 decimals, the last digits are cut off toward zero, never rounded up.
    [InlineData("123456789012345678901234567890123", 18, "123456789012345.67890123456789")]
    [InlineData("99999999999999999999999999999999", 18, "99999999999999.99999999999999")]
    [InlineData("199", 30, "0.0000000000000000000000000001")]
    [InlineData("1", 30, "0.0000000000000000000000000000")]
    public async Task ConvertsBaseUnitsToCoinUnitsExactlyOrTowardZero(string units, int decimals, string expected)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Detail()
            .Replace("\"20000000000000000000\"", $"\"{units}\"", StringComparison.Ordinal)
            .Replace("\"decimals\":18", $"\"decimals\":{decimals}", StringComparison.Ordinal)));
        using var client = api.CreateClient();

        var rampoff = await client.GetRampoffAsync(RampoffId);

        Assert.Equal(BigInteger.Parse(units, CultureInfo.InvariantCulture), rampoff.AmountBaseUnits);
        Assert.Equal(expected, rampoff.Amount.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task MapsAnAmountBeyondWhatADecimalHoldsToUnexpectedResponse()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Detail()
            .Replace("\"20000000000000000000\"", "\"79228162514264337593543950336000\"", StringComparison.Ordinal)
            .Replace("\"decimals\":18", "\"decimals\":3", StringComparison.Ordinal)));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetRampoffAsync(RampoffId));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task SurfacesRampoffNotFound()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error(ErrorCodes.RampoffNotFound));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetRampoffAsync(RampoffId));

        Assert.Equal(ErrorCodes.RampoffNotFound, error.ErrorCode);
        Assert.Equal(200, error.HttpStatus);
    }

    [Fact]
    public async Task ListsRampoffsWithoutFiltersByDefault()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Page(["r1", "r2"], page: 1, perPage: 20, total: 2, lastPage: 1)));
        using var client = api.CreateClient();

        var page = await client.ListRampoffsAsync();

        var call = Assert.Single(api.Calls);
        Assert.Equal("/api/rampoffs", call.Path);
        Assert.Equal("", call.Uri.Query);
        Assert.Equal("token-1", call.Auth);
        Assert.Equal(["r1", "r2"], page.Rampoffs.Select(r => r.Id));
        Assert.Equal(20m, page.Rampoffs[0].Amount);
        Assert.Equal((1, 20, 2, 1), (page.Page, page.PerPage, page.Total, page.LastPage));
    }

    [Fact]
    public async Task SendsEveryRampoffFilterThatIsSet()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Page([], page: 3, perPage: 50, total: 0, lastPage: 1)));
        using var client = api.CreateClient();

        await client.ListRampoffsAsync(new RampoffListOptions
        {
            Status = RampoffStatus.CryptoReceived,
            ExternalId = "sale 9&x",
            UserId = 9_007_199_254_740_993,
            From = new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.FromHours(2)),
            To = new DateTimeOffset(2026, 6, 30, 23, 59, 59, 500, TimeSpan.Zero),
            Page = 3,
            PerPage = 50,
        });

        Assert.Equal(
            "?status=crypto_received&external_id=sale%209%26x&user_id=9007199254740993"
            + "&from=2026-06-01T00%3A00%3A00.000000Z&to=2026-06-30T23%3A59%3A59.500000Z&page=3&per_page=50",
            Assert.Single(api.Calls).Uri.Query);
    }

    [Fact]
    public async Task RefusesToFilterRampoffsOnTheUnknownStatus()
    {
        using var api = new FakeApi();
        using var client = api.CreateClient();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => client.ListRampoffsAsync(new RampoffListOptions { Status = RampoffStatus.Unknown }));

        Assert.Empty(api.Handler.Requests);
    }

    [Fact]
    public async Task MapsANullEntryOfTheListToUnexpectedResponse()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(
            """{"status":"ok","data":[null],"pagination":{"current_page":1,"per_page":20,"total":1,"last_page":1}}"""));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.ListRampoffsAsync());

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task WalksEveryPageOfRampoffs()
    {
        using var api = new FakeApi();
        string[][] pages = [["r1", "r2"], ["r3", "r4"], ["r5"]];
        api.Endpoint = request =>
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.Uri.Query);
            var number = int.Parse(query["page"] ?? "1", CultureInfo.InvariantCulture);
            return Task.FromResult(Respond.Json(Page(pages[number - 1], number, perPage: 2, total: 5, lastPage: 3)));
        };
        using var client = api.CreateClient();

        var ids = new List<string>();
        await foreach (var rampoff in client.ListAllRampoffsAsync(new RampoffListOptions { Status = RampoffStatus.WaitingCrypto, PerPage = 2 }))
        {
            ids.Add(rampoff.Id);
        }

        Assert.Equal(["r1", "r2", "r3", "r4", "r5"], ids);
        Assert.Equal(
            ["?status=waiting_crypto&page=1&per_page=2", "?status=waiting_crypto&page=2&per_page=2", "?status=waiting_crypto&page=3&per_page=2"],
            api.Calls.Select(c => c.Uri.Query));
        Assert.Single(api.Authentications);
    }

    [Fact]
    public async Task StopsWalkingRampoffsAtAnEmptyPage()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Page([], page: 1, perPage: 20, total: 40, lastPage: 2)));
        using var client = api.CreateClient();

        var count = 0;
        await foreach (var _ in client.ListAllRampoffsAsync())
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.Single(api.Calls);
    }
}
