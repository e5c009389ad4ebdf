using System.Numerics;

namespace Cryptopocket.Client;

/// <summary>What selling an amount of a coin pays out, net of fees, as answered by <c>GET api/getRampoffQuote</c>.</summary>
/// <param name="Amount">
/// The amount of the coin quoted, in coin units, computed from <paramref name="AmountBaseUnits"/> as
/// <see cref="RampoffInfo.Amount"/> is.
/// </param>
/// <param name="AmountBaseUnits">The amount of the coin quoted, exactly, in the coin's smallest unit.</param>
/// <param name="Decimals">How many decimals the coin has: one coin is 10^<paramref name="Decimals"/> base units.</param>
/// <param name="Symbol">The coin sold.</param>
/// <param name="Blockchain">The chain the coin is sent on.</param>
/// <param name="FiatSymbol">The fiat currency paid out, of every fiat amount of the quote.</param>
/// <param name="Rate">The fiat price of one unit of the coin.</param>
/// <param name="GrossFiatAmount">What the coin is worth at <paramref name="Rate"/>, before the fees.</param>
/// <param name="Fees">The itemised fees, in <paramref name="FiatSymbol"/>.</param>
/// <param name="FiatAmount">What the customer is paid: <paramref name="GrossFiatAmount"/> less the fees.</param>
/// <param name="ExpiresAt">Until when the quote holds.</param>
public sealed record RampoffQuoteResult(
    decimal Amount,
    BigInteger AmountBaseUnits,
    int Decimals,
    string Symbol,
    string Blockchain,
    string FiatSymbol,
    decimal Rate,
    decimal GrossFiatAmount,
    QuoteFeeBreakdown Fees,
    decimal FiatAmount,
    DateTimeOffset ExpiresAt);
