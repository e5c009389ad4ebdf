using Cryptopocket.Client.Tests.Infrastructure;

namespace Cryptopocket.Client.Tests;

public sealed class ResponseParsingTests
{
    [Fact]
    public async Task ParsesDecimalStringsExactly()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Quote));
        using var client = api.CreateClient();

        var quote = await client.GetQuoteAsync(new QuoteOptions { Amount = 100m, Symbol = "ETH", Chain = "ethereum" });

        Assert.Equal(105.597826m, quote.Rate);
        // 18 significant decimals: a parse through double would round this.
        Assert.Equal(0.123456789012345678m, quote.CoinAmount);
        Assert.Equal(100.00m, quote.FiatAmount);
        Assert.Equal(new QuoteFeeBreakdown(2.80m, 0.45m, 1.00m, 4.25m), quote.Fees);
        Assert.Equal("EUR", quote.FiatSymbol);
        Assert.Equal("ETH", quote.CoinSymbol);
        Assert.Equal("ethereum", quote.Chain);
        Assert.Equal("card", quote.PaymentType);
        Assert.Equal(new DateTimeOffset(2026, 6, 26, 10, 5, 0, TimeSpan.Zero), quote.ExpiresAt);
    }

    [Fact]
    public async Task ParsesAvailableAssets()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Assets));
        using var client = api.CreateClient();

        var assets = await client.GetAvailableAssetsAsync();

        Assert.Equal(new Asset("USDT", "Tether", "polygon", 6, "EUR", 10.00m, 5000.00m, BuyEnabled: true, SellEnabled: false), Assert.Single(assets));
    }

    [Fact]
    public async Task ParsesTheTokenPrice()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Price));
        using var client = api.CreateClient();

        var price = await client.GetTokenPriceAsync("USDT");

        Assert.Equal(new Price("USDT", "EUR", 0.921456m, new DateTimeOffset(2026, 6, 26, 10, 30, 0, TimeSpan.Zero)), price);
    }

    [Fact]
    public async Task ParsesNegativeDecimalStrings()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Price.Replace("\"0.921456\"", "\"-0.5\"", StringComparison.Ordinal)));
        using var client = api.CreateClient();

        var price = await client.GetTokenPriceAsync("USDT");

        Assert.Equal(-0.5m, price.Value);
    }

    [Fact]
    public async Task ParsesPaymentMethods()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.PaymentMethods));
        using var client = api.CreateClient();

        var methods = await client.GetPaymentMethodsAsync();

        Assert.Equal(
            [
                new PaymentMethodInfo("card", "Card", "EUR", Allowed: true, 2.50m, 0.30m),
                new PaymentMethodInfo("transfer", "Bank transfer", "EUR", Allowed: false, 0.00m, 1.00m),
            ],
            methods);
    }

    [Theory]
    [InlineData("unused", KycStatus.Unused)]
    [InlineData("processing", KycStatus.Processing)]
    [InlineData("valid", KycStatus.Valid)]
    [InlineData("fail", KycStatus.Fail)]
    [InlineData("archived", KycStatus.Unknown)]
    [InlineData("", KycStatus.Unknown)]
    public async Task MapsKycStatusesAndTreatsUnknownOnesAsUnknown(string wire, KycStatus expected)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.Kyc(wire)));
        using var client = api.CreateClient();

        var kyc = await client.CheckKycAsync(42);

        Assert.Equal(
            new KycResult(42, expected, "http://cp.test/kyc/abc", null, new DateTimeOffset(2026, 6, 26, 9, 15, 0, TimeSpan.Zero)),
            kyc);
    }
}
