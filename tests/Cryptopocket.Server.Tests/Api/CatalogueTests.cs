using System.Globalization;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Api;

/// <summary>The guide's step 1 (GET /api/quote, chain defaulting to polygon) and the catalogue endpoints.</summary>
public sealed class CatalogueTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task QuoteItemisesFeesAndRoundsTheCryptoDown()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var json = await (await http.GetAsync("/api/quote?amount=100&symbol=USDC&payment_type=card")).JsonAsync();
        var data = json.GetProperty("data");

        // Configured: card 2.5 % + 0.25, polygon network fee 0.10, USDC at 0.92 EUR, 6 decimals.
        Assert.Equal("polygon", data.GetProperty("chain").GetString());
        Assert.Equal("100.00", data.GetProperty("fiat_amount").GetString());
        Assert.Equal("2.75", data.GetProperty("fees").GetProperty("processing").GetString());
        Assert.Equal("0.10", data.GetProperty("fees").GetProperty("network").GetString());
        Assert.Equal("2.85", data.GetProperty("fees").GetProperty("total").GetString());
        Assert.Equal("0.920000", data.GetProperty("rate").GetString());
        // (100 - 2.85) / 0.92 = 105.5978260869… → rounded down to 6 places.
        Assert.Equal("105.597826", data.GetProperty("coin_amount").GetString());
        var expires = DateTimeOffset.Parse(data.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(61));
    }

    [Theory]
    [InlineData("PSD2", "psd2")]
    [InlineData("TRANSFER", "transfer")]
    [InlineData("Card", "card")]
    public async Task QuoteAcceptsThePaymentTypeInAnyCaseAsTheGuideWritesIt(string given, string expected)
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var json = await (await http.GetAsync($"/api/quote?amount=50&symbol=usdt&chain=ethereum&payment_type={given}")).JsonAsync();

        Assert.Equal(expected, json.GetProperty("data").GetProperty("payment_type").GetString());
        Assert.Equal("USDT", json.GetProperty("data").GetProperty("coin_symbol").GetString());
    }

    [Theory]
    [InlineData("amount=100&symbol=DOGE&payment_type=card", "coin_not_supported")]
    [InlineData("amount=100&symbol=ETH&chain=polygon&payment_type=card", "coin_not_supported")]
    [InlineData("amount=100&symbol=USDC&chain=solana&payment_type=card", "coin_not_supported")]
    [InlineData("amount=5&symbol=USDC&payment_type=card", "min_purchase")]
    [InlineData("amount=20000&symbol=USDC&payment_type=card", "limit_exceded")]
    public async Task QuoteRefusesWhatCannotBeBoughtWithBusinessErrors(string query, string code)
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var response = await http.GetAsync("/api/quote?" + query);

        await response.AssertBusinessErrorAsync(code);
    }

    [Fact]
    public async Task MinPurchaseNamesTheMinimum()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var json = await (await http.GetAsync("/api/quote?amount=5&symbol=USDC&payment_type=card")).JsonAsync();

        Assert.Contains("10.00 EUR", json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("symbol=USDC&payment_type=card", "amount")]
    [InlineData("amount=abc&symbol=USDC&payment_type=card", "amount")]
    [InlineData("amount=-10&symbol=USDC&payment_type=card", "amount")]
    [InlineData("amount=0&symbol=USDC&payment_type=card", "amount")]
    [InlineData("amount=10.001&symbol=USDC&payment_type=card", "amount")]
    [InlineData("amount=1e5&symbol=USDC&payment_type=card", "amount")]
    [InlineData("amount=99999999999999999999999999999999&symbol=USDC&payment_type=card", "amount")]
    [InlineData("amount=100&payment_type=card", "symbol")]
    [InlineData("amount=100&symbol=USDC", "payment_type")]
    [InlineData("amount=100&symbol=USDC&payment_type=paypal", "payment_type")]
    public async Task QuoteRefusesMalformedParametersWith422(string query, string field)
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var response = await http.GetAsync("/api/quote?" + query);

        await response.AssertValidationErrorAsync(field);
    }

    [Fact]
    public async Task AMethodTheIntegrationMayNotUseIsRefusedAndShownAsNotAllowed()
    {
        var credentials = await server.CreateIntegrationAsync();
        await server.WithServiceAsync<IntegrationSummary, IntegrationService>(s => s.SetPaymentMethodsAsync(credentials.Name, ["transfer"], CancellationToken.None));
        using var http = await server.CreateAuthenticatedHttpClientAsync(credentials);

        await (await http.GetAsync("/api/quote?amount=100&symbol=USDC&payment_type=card")).AssertBusinessErrorAsync("method_not_allowed");
        var methods = (await (await http.GetAsync("/api/payment-methods")).JsonAsync()).GetProperty("data").EnumerateArray()
            .ToDictionary(m => m.GetProperty("code").GetString()!, m => m.GetProperty("allowed").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["card"] = false, ["psd2"] = false, ["transfer"] = true }, methods);
    }

    [Fact]
    public async Task AvailableAssetsListsEachCoinOnEachChainWithDecimalsAndLimits()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var assets = (await (await http.GetAsync("/api/available-assets")).JsonAsync()).GetProperty("data").EnumerateArray().ToList();

        var usdcPolygon = Assert.Single(assets, a => a.GetProperty("symbol").GetString() == "USDC" && a.GetProperty("chain").GetString() == "polygon");
        Assert.Equal(6, usdcPolygon.GetProperty("decimals").GetInt32());
        Assert.Equal("10.00", usdcPolygon.GetProperty("min_purchase").GetString());
        Assert.Contains(assets, a => a.GetProperty("symbol").GetString() == "ETH" && a.GetProperty("decimals").GetInt32() == 18);
    }

    [Fact]
    public async Task TokenPriceAnswersTheReferencePriceOrCoinNotSupported()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var price = (await (await http.GetAsync("/api/token-price?symbol=ETH")).JsonAsync()).GetProperty("data");
        Assert.Equal("2900.000000", price.GetProperty("price").GetString());
        Assert.Equal("EUR", price.GetProperty("fiat_symbol").GetString());

        await (await http.GetAsync("/api/token-price?symbol=NOPE")).AssertBusinessErrorAsync("coin_not_supported");
        await (await http.GetAsync("/api/token-price?symbol=ETH&fiat_symbol=USD")).AssertBusinessErrorAsync("fiat_not_supported");
        await (await http.GetAsync("/api/token-price")).AssertValidationErrorAsync("symbol");
    }
}
