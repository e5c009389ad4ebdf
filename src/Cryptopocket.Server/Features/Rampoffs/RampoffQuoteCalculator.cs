using Cryptopocket.Server.Features.Catalogue;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>A sale priced: coin amount, locked rate, and the fiat legs in cents.</summary>
public sealed record RampoffQuoteBreakdown(
    decimal Amount, decimal Rate, long GrossFiatCents, long ProcessingFeeCents, long NetworkFeeCents, long PartnerFeeCents)
{
    public long TotalFeeCents => ProcessingFeeCents + NetworkFeeCents + PartnerFeeCents;
    public long FiatAmountCents => GrossFiatCents - TotalFeeCents;
    public decimal GrossFiat => GrossFiatCents / 100m;
}

/// <summary>
/// The selling rule, with its rounding explicit: the gross value rounds DOWN to the cent (the platform never promises
/// a cent it did not get), each fee rounds half away from zero to the cent, and the payout is what is left.
/// </summary>
public static class RampoffQuoteCalculator
{
    public static RampoffQuoteBreakdown Calculate(decimal amount, decimal rate, ChainOptions chain, RampoffOptions options, decimal partnerFeePercent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        var gross = decimal.Round(amount * rate, 2, MidpointRounding.ToZero);
        var processing = QuoteCalculator.Cents(gross * options.FeePercent / 100m + options.FeeFixed);
        var network = QuoteCalculator.Cents(chain.NetworkFee);
        var partner = QuoteCalculator.Cents(gross * partnerFeePercent / 100m);
        return new RampoffQuoteBreakdown(amount, rate, Cents(gross), Cents(processing), Cents(network), Cents(partner));
    }

    private static long Cents(decimal amount) => (long)(amount * 100m);
}
