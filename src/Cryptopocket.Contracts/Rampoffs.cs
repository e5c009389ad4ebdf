using System.Text.Json.Serialization;

namespace Cryptopocket.Contracts;

public static class RampoffMessages
{
    /// <summary>The documented value of <c>data.rampoff</c> on creation (wire reference §6.2): a space, no underscore.</summary>
    public const string PaymentCreated = "payment created";
}

/// <summary>The off-ramp statuses; the wire reference shows only <c>finished</c>, the rest are described in docs/api.md.</summary>
public static class RampoffStatuses
{
    /// <summary>The deposit address is open; nothing (or not enough) has arrived yet.</summary>
    public const string WaitingCrypto = "waiting_crypto";

    /// <summary>The crypto arrived and is confirmed; the fiat payout is owed to the customer.</summary>
    public const string CryptoReceived = "crypto_received";

    /// <summary>The payout left in a bank file (production rail); the bank has not confirmed it yet.</summary>
    public const string PayoutSent = "payout_sent";

    public const string Finished = "finished";

    /// <summary>Nothing arrived before the deposit window closed.</summary>
    public const string Expired = "expired";

    /// <summary>What arrived was too little to pay out; it is held for an operator to return.</summary>
    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [WaitingCrypto, CryptoReceived, PayoutSent, Finished, Expired, Rejected];
}

/// <summary>Body of <c>POST /api/createRampoff</c> (wire reference §6.2).</summary>
public sealed record CreateRampoffRequest
{
    [JsonPropertyName("user_id")] public required long UserId { get; init; }
    [JsonPropertyName("amount")] public required decimal Amount { get; init; }
    [JsonPropertyName("blockchain")] public required string Blockchain { get; init; }
    [JsonPropertyName("symbol")] public required string Symbol { get; init; }
    [JsonPropertyName("iban")] public string? Iban { get; init; }
    [JsonPropertyName("bank_name")] public string? BankName { get; init; }
    [JsonPropertyName("external_id")] public string? ExternalId { get; init; }
}

/// <summary><c>data</c> of a created off-ramp operation, exactly as documented: send the crypto to <c>wallet</c>.</summary>
public sealed record RampoffCreated(
    [property: JsonPropertyName("rampoff")] string Rampoff,
    [property: JsonPropertyName("wallet")] string Wallet,
    [property: JsonPropertyName("id")] string Id);

/// <summary>
/// <c>GET /api/getRampoff?id=</c> data. The first seven fields are the documented ones, in their order and types:
/// <c>amount</c> in base units as a string with its <c>decimals</c>, <c>fiat_amount</c> a decimal string. The rest
/// are additive (docs/api.md).
/// </summary>
public sealed record RampoffDetail
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("blockchain")] public required string Blockchain { get; init; }
    [JsonPropertyName("crypto")] public required string Crypto { get; init; }
    [JsonPropertyName("amount")] public required string Amount { get; init; }
    [JsonPropertyName("decimals")] public required int Decimals { get; init; }
    [JsonPropertyName("fiat_amount")] public required string FiatAmount { get; init; }
    [JsonPropertyName("fiat_symbol")] public required string FiatSymbol { get; init; }
    [JsonPropertyName("user_id")] public required long UserId { get; init; }
    [JsonPropertyName("external_id"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? ExternalId { get; init; }
    [JsonPropertyName("wallet")] public required string Wallet { get; init; }
    [JsonPropertyName("received_amount")] public required string ReceivedAmount { get; init; }
    [JsonPropertyName("rate")] public required string Rate { get; init; }
    [JsonPropertyName("fees")] public required QuoteFees Fees { get; init; }
    [JsonPropertyName("iban")] public required string Iban { get; init; }
    [JsonPropertyName("failure_reason")] public string? FailureReason { get; init; }
    [JsonPropertyName("deposit_deadline")] public required DateTimeOffset DepositDeadline { get; init; }
    [JsonPropertyName("created_at")] public required DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updated_at")] public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// Data of <c>GET /api/getRampoffQuote</c>: what selling <c>amount</c> of a coin pays out in EUR, net of the itemised
/// fees, until <c>expires_at</c>. Amounts follow getRampoff's conventions (base units with decimals; fiat as strings).
/// </summary>
public sealed record RampoffQuote(
    [property: JsonPropertyName("amount")] string Amount,
    [property: JsonPropertyName("amount_base_units")] string AmountBaseUnits,
    [property: JsonPropertyName("decimals")] int Decimals,
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("blockchain")] string Blockchain,
    [property: JsonPropertyName("fiat_symbol")] string FiatSymbol,
    [property: JsonPropertyName("rate")] string Rate,
    [property: JsonPropertyName("gross_fiat_amount")] string GrossFiatAmount,
    [property: JsonPropertyName("fees")] QuoteFees Fees,
    [property: JsonPropertyName("fiat_amount")] string FiatAmount,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);
