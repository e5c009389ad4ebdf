namespace Cryptopocket.Server.Features.Catalogue;

public sealed record QuoteBreakdown(
    decimal FiatAmount,
    decimal ProcessingFee,
    decimal NetworkFee,
    decimal PartnerFee,
    decimal Rate,
    decimal CoinAmount)
{
    public decimal TotalFees => ProcessingFee + NetworkFee + PartnerFee;
}

/// <summary>
/// The pricing rule, with its rounding made explicit: each fee rounds half away from zero to the cent, and the
/// crypto delivered rounds down to the asset's decimals so the platform never promises a unit it cannot send.
/// </summary>
public static class QuoteCalculator
{
    public static QuoteBreakdown Calculate(
        decimal fiatAmount, AssetOptions asset, ChainOptions chain, PaymentMethodOptions method, decimal partnerFeePercent, decimal rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fiatAmount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        var processing = Cents(fiatAmount * method.FeePercent / 100m + method.FeeFixed);
        var network = Cents(chain.NetworkFee);
        var partner = Cents(fiatAmount * partnerFeePercent / 100m);
        var net = fiatAmount - processing - network - partner;
        var coins = net <= 0 ? 0m : decimal.Round(net / rate, asset.Decimals, MidpointRounding.ToZero);
        return new QuoteBreakdown(fiatAmount, processing, network, partner, rate, coins);
    }

    public static decimal Cents(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);
}
