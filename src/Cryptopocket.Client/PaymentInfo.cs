using System.Text.Json;

namespace Cryptopocket.Client;

/// <summary>A purchase, as answered by <c>GET api/payment/{id}</c> and <c>GET api/payments</c>.</summary>
/// <param name="Id">The purchase's id.</param>
/// <param name="ExternalId">The integration's own reference for the purchase, if one was sent.</param>
/// <param name="UserId">The customer's id (the wire sends it as a string).</param>
/// <param name="Status">The purchase's status; <see cref="PaymentStatus.Unknown"/> for a status this SDK does not know.</param>
/// <param name="FiatAmount">The amount paid, in units of <paramref name="FiatSymbol"/> (the wire sends cents).</param>
/// <param name="FiatSymbol">The fiat currency paid in, e.g. <c>EUR</c>.</param>
/// <param name="CoinSymbol">The coin bought.</param>
/// <param name="CoinAmount">How much of the coin the purchase delivers.</param>
/// <param name="CreatedAt">When the purchase was created.</param>
/// <param name="Holder">The payer's details as the payment method reported them, if any; their shape depends on the method.</param>
/// <param name="Txid">The transaction that sent the coins; only once <paramref name="Status"/> is <see cref="PaymentStatus.CoinsSent"/>.</param>
/// <param name="PaymentType">The payment method code, e.g. <c>card</c>.</param>
/// <param name="CoinChain">The chain the coin is delivered on.</param>
/// <param name="Wallet">The wallet the coin is delivered to, once known.</param>
/// <param name="FailureReason">Why the payment was rejected, when the server gives a reason.</param>
/// <param name="UpdatedAt">When the purchase last changed.</param>
public sealed record PaymentInfo(
    string Id,
    string? ExternalId,
    long UserId,
    PaymentStatus Status,
    decimal FiatAmount,
    string FiatSymbol,
    string CoinSymbol,
    decimal CoinAmount,
    DateTimeOffset CreatedAt,
    JsonElement? Holder,
    string? Txid,
    string PaymentType,
    string CoinChain,
    string? Wallet,
    string? FailureReason,
    DateTimeOffset UpdatedAt);
