using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cryptopocket.Contracts;

/// <summary>The <c>{"status":"success","message":CODE,"data":…}</c> envelope of the purchase-creation endpoints.</summary>
public sealed record SuccessResponse<T>(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("data")] T Data);

public static class PaymentMessages
{
    public const string PaymentCreated = "payment_created";
    public const string GuidedPaymentCreated = "guided_payment_created";

    /// <summary>The documented misspelling of "success" on transfer purchases (wire reference §5.3), kept on purpose.</summary>
    public const string TransferSuccessStatus = "sucess";
}

/// <summary>Body of <c>POST /api/createPayment</c> (wire reference §5.3).</summary>
public sealed record CreatePaymentRequest
{
    [JsonPropertyName("user_id")] public required long UserId { get; init; }
    [JsonPropertyName("external_id")] public string? ExternalId { get; init; }
    [JsonPropertyName("payment_type")] public required string PaymentType { get; init; }
    [JsonPropertyName("fiat_symbol")] public string FiatSymbol { get; init; } = "EUR";
    [JsonPropertyName("fiat_amount")] public required decimal FiatAmount { get; init; }
    [JsonPropertyName("coin_symbol")] public required string CoinSymbol { get; init; }
    [JsonPropertyName("coin_chain")] public required string CoinChain { get; init; }
    [JsonPropertyName("wallet")] public required string Wallet { get; init; }
    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }
}

/// <summary>Body of <c>POST /api/createGuidedPayment</c> (wire reference §5.4).</summary>
public sealed record CreateGuidedPaymentRequest
{
    [JsonPropertyName("user_id")] public required long UserId { get; init; }
    [JsonPropertyName("coin_symbol")] public required string CoinSymbol { get; init; }
    [JsonPropertyName("coin_chain")] public required string CoinChain { get; init; }
    [JsonPropertyName("fiat_amount")] public required decimal FiatAmount { get; init; }
    [JsonPropertyName("fiat_symbol")] public string FiatSymbol { get; init; } = "EUR";
    [JsonPropertyName("payment_type")] public string? PaymentType { get; init; }
    [JsonPropertyName("external_id")] public string? ExternalId { get; init; }
    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }
}

/// <summary>Card or PSD2 purchase created: the customer pays on <c>url_payment</c>.</summary>
public sealed record CardPaymentCreated(
    [property: JsonPropertyName("url_payment")] string UrlPayment,
    [property: JsonPropertyName("payment_id")] string PaymentId);

/// <summary>Transfer purchase created: the customer sends a SEPA transfer with <c>concept</c> as its reference.</summary>
public sealed record TransferPaymentCreated(
    [property: JsonPropertyName("payment_id")] string PaymentId,
    [property: JsonPropertyName("iban")] string Iban,
    [property: JsonPropertyName("bic")] string Bic,
    [property: JsonPropertyName("concept")] long Concept,
    [property: JsonPropertyName("destination_name")] string DestinationName);

public sealed record GuidedPaymentCreated(
    [property: JsonPropertyName("payment_id")] string PaymentId,
    [property: JsonPropertyName("gateway_url")] string GatewayUrl,
    [property: JsonPropertyName("external_id"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ExternalId);

/// <summary>
/// <c>GET /api/payment/{payment_id}</c> data, field for field as wire reference §5.5: <c>user_id</c> a string,
/// <c>fiat_amount</c> in cents, <c>holder</c> always present, <c>txid</c> only once coins are sent. The fields after
/// <c>txid</c> are additive extensions (docs/api.md).
/// </summary>
public sealed record PaymentDetail
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("external_id"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? ExternalId { get; init; }
    [JsonPropertyName("user_id")] public required string UserId { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("fiat_amount")] public required long FiatAmount { get; init; }
    [JsonPropertyName("fiat_symbol")] public required string FiatSymbol { get; init; }
    [JsonPropertyName("coin_symbol")] public required string CoinSymbol { get; init; }
    [JsonPropertyName("coin_amount")] public required decimal CoinAmount { get; init; }
    [JsonPropertyName("created_at")] public required DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("holder"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public JsonElement? Holder { get; init; }
    [JsonPropertyName("txid")] public string? Txid { get; init; }
    [JsonPropertyName("payment_type")] public required string PaymentType { get; init; }
    [JsonPropertyName("coin_chain")] public required string CoinChain { get; init; }
    [JsonPropertyName("wallet")] public string? Wallet { get; init; }
    [JsonPropertyName("failure_reason")] public string? FailureReason { get; init; }
    [JsonPropertyName("updated_at")] public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Page metadata of list endpoints (docs/api.md, "Pagination").</summary>
public sealed record Pagination(
    [property: JsonPropertyName("current_page")] int CurrentPage,
    [property: JsonPropertyName("per_page")] int PerPage,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("last_page")] int LastPage);

public sealed record PageResponse<T>(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("data")] IReadOnlyList<T> Data,
    [property: JsonPropertyName("pagination")] Pagination Pagination);
