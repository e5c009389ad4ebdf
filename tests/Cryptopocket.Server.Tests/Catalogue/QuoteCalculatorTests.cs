using Cryptopocket.Server.Features.Catalogue;

namespace Cryptopocket.Server.Tests.Catalogue;

public sealed class QuoteCalculatorTests
{
    private static readonly AssetOptions Usdc = new() { Symbol = "USDC", Decimals = 6 };
    private static readonly AssetOptions Eth = new() { Symbol = "ETH", Decimals = 18 };
    private static readonly ChainOptions Polygon = new() { Name = "polygon", NetworkFee = 0.10m };
    private static readonly PaymentMethodOptions Card = new() { Code = "card", FeePercent = 2.5m, FeeFixed = 0.25m };

    [Fact]
    public void FeesRoundHalfAwayFromZeroToTheCent()
    {
        // 2.5 % of 10.10 = 0.2525 → +0.25 fixed = 0.5025 → 0.50; of 10.30 = 0.2575 + 0.25 = 0.5075 → 0.51.
        Assert.Equal(0.50m, QuoteCalculator.Calculate(10.10m, Usdc, Polygon, Card, 0, 1m).ProcessingFee);
        Assert.Equal(0.51m, QuoteCalculator.Calculate(10.30m, Usdc, Polygon, Card, 0, 1m).ProcessingFee);
    }

    [Fact]
    public void CryptoRoundsDownToTheAssetsDecimals()
    {
        var quote = QuoteCalculator.Calculate(100m, Usdc, Polygon, Card, 0, 0.92m);

        Assert.Equal(105.597826m, quote.CoinAmount);
        Assert.True(quote.CoinAmount * 0.92m <= 100m - quote.TotalFees);
    }

    [Fact]
    public void EighteenDecimalAssetsKeepFullPrecision()
    {
        var quote = QuoteCalculator.Calculate(100m, Eth, Polygon, Card, 0, 2900m);

        // (100 - 2.85) / 2900 = 0.033500000000000000 exactly.
        Assert.Equal(0.0335m, quote.CoinAmount);
        Assert.Equal(18, Eth.Decimals);
    }

    [Fact]
    public void PartnerFeeIsAddedToTheBreakdown()
    {
        var quote = QuoteCalculator.Calculate(200m, Usdc, Polygon, Card, 1.5m, 1m);

        Assert.Equal(3.00m, quote.PartnerFee);
        Assert.Equal(quote.ProcessingFee + quote.NetworkFee + quote.PartnerFee, quote.TotalFees);
        Assert.Equal(200m - quote.TotalFees, quote.CoinAmount);
    }

    [Fact]
    public void AnAmountThatDoesNotCoverTheFeesBuysNothing()
    {
        Assert.Equal(0m, QuoteCalculator.Calculate(0.30m, Usdc, Polygon, Card, 0, 1m).CoinAmount);
    }
}
