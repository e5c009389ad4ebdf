namespace Cryptopocket.Client;

/// <summary>What a fiat amount buys, net of fees, as answered by <c>GET api/quote</c>.</summary>
/// <param name="FiatAmount">The fiat amount quoted.</param>
/// <param name="FiatSymbol">The fiat currency of every amount of the quote except <paramref name="CoinAmount"/>.</param>
/// <param name="CoinSymbol">The coin bought.</param>
/// <param name="Chain">The chain the coin is delivered on.</param>
/// <param name="PaymentType">The payment method code the fees were computed for.</param>
/// <param name="Rate">The fiat price of one unit of the coin.</param>
/// <param name="CoinAmount">How much of the coin the amount buys once the fees are taken.</param>
/// <param name="Fees">The itemised fees, in <paramref name="FiatSymbol"/>.</param>
/// <param name="ExpiresAt">Until when the quote holds.</param>
public sealed record QuoteResult(
    decimal FiatAmount,
    string FiatSymbol,
    string CoinSymbol,
    string Chain,
    string PaymentType,
    decimal Rate,
    decimal CoinAmount,
    QuoteFeeBreakdown Fees,
    DateTimeOffset ExpiresAt);
