using System.Numerics;

namespace Cryptopocket.Client;

/// <summary>A sale (off-ramp operation), as answered by <c>GET api/getRampoff</c> and <c>GET api/rampoffs</c>.</summary>
/// <param name="Id">The sale's id.</param>
/// <param name="Status">The sale's status; <see cref="RampoffStatus.Unknown"/> for a status this SDK does not know.</param>
/// <param name="Blockchain">The chain the coin is sent on.</param>
/// <param name="Symbol">The coin sold (the wire's <c>crypto</c>).</param>
/// <param name="AmountBaseUnits">The amount of the coin asked for, exactly, in the coin's smallest unit.</param>
/// <param name="Decimals">How many decimals the coin has: one coin is 10^<paramref name="Decimals"/> base units.</param>
/// <param name="Amount">
/// <paramref name="AmountBaseUnits"/> in coin units, exact whenever <see cref="decimal"/> can hold it: when the base
/// units are at most 79,228,162,514,264,337,593,543,950,335 (28 to 29 digits) and <paramref name="Decimals"/> is at most
/// 28, i.e. up to about 79 billion coins of an 18-decimal coin. Beyond that the last digits that do not fit are cut off
/// (rounding toward zero, so the value is never more than the exact one); <paramref name="AmountBaseUnits"/> stays exact.
/// A whole part above <see cref="decimal.MaxValue"/> cannot be held at all, and the answer is then reported as
/// <see cref="CryptopocketException.UnexpectedResponse"/>.
/// </param>
/// <param name="FiatAmount">What the customer is paid, in <paramref name="FiatSymbol"/>, at the quote locked on creation.</param>
/// <param name="FiatSymbol">The fiat currency paid out, e.g. <c>EUR</c>.</param>
/// <param name="UserId">The customer's id.</param>
/// <param name="ExternalId">The integration's own reference for the sale, if one was sent.</param>
/// <param name="DepositAddress">The sale's own address to send the coin to (the wire's <c>wallet</c>).</param>
/// <param name="ReceivedBaseUnits">Everything that arrived at <paramref name="DepositAddress"/>, exactly, in base units.</param>
/// <param name="ReceivedAmount"><paramref name="ReceivedBaseUnits"/> in coin units, computed as <paramref name="Amount"/> is.</param>
/// <param name="Rate">The fiat price of one unit of the coin, locked on creation.</param>
/// <param name="Fees">The itemised fees, in <paramref name="FiatSymbol"/>.</param>
/// <param name="Iban">The IBAN the fiat is paid to.</param>
/// <param name="FailureReason">Why the sale expired or was rejected, e.g. <c>no_deposit</c> or <c>deposit_below_minimum</c>.</param>
/// <param name="DepositDeadline">Until when the coin is awaited at the locked quote.</param>
/// <param name="CreatedAt">When the sale was created.</param>
/// <param name="UpdatedAt">When the sale last changed.</param>
public sealed record RampoffInfo(
    string Id,
    RampoffStatus Status,
    string Blockchain,
    string Symbol,
    BigInteger AmountBaseUnits,
    int Decimals,
    decimal Amount,
    decimal FiatAmount,
    string FiatSymbol,
    long UserId,
    string? ExternalId,
    string DepositAddress,
    BigInteger ReceivedBaseUnits,
    decimal ReceivedAmount,
    decimal Rate,
    QuoteFeeBreakdown Fees,
    string Iban,
    string? FailureReason,
    DateTimeOffset DepositDeadline,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
