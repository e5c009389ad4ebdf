using System.Text.Json.Serialization;

namespace Cryptopocket.Contracts;

// Amounts in these additive endpoints are decimal strings ("105.970000"): exact, and never rounded by a JSON
// parser that reads numbers as doubles. docs/api.md records the choice.

public sealed record AvailableAsset(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("chain")] string Chain,
    [property: JsonPropertyName("decimals")] int Decimals,
    [property: JsonPropertyName("fiat_symbol")] string FiatSymbol,
    [property: JsonPropertyName("min_purchase")] string MinPurchase,
    [property: JsonPropertyName("max_purchase")] string MaxPurchase,
    [property: JsonPropertyName("buy_enabled")] bool BuyEnabled,
    [property: JsonPropertyName("sell_enabled")] bool SellEnabled);

public sealed record TokenPrice(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("fiat_symbol")] string FiatSymbol,
    [property: JsonPropertyName("price")] string Price,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

public sealed record PaymentMethod(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("fiat_symbol")] string FiatSymbol,
    [property: JsonPropertyName("allowed")] bool Allowed,
    [property: JsonPropertyName("fee_percent")] string FeePercent,
    [property: JsonPropertyName("fee_fixed")] string FeeFixed);

public sealed record QuoteFees(
    [property: JsonPropertyName("processing")] string Processing,
    [property: JsonPropertyName("network")] string Network,
    [property: JsonPropertyName("partner")] string Partner,
    [property: JsonPropertyName("total")] string Total);

/// <summary>Data of <c>GET /api/quote</c>: what <c>fiat_amount</c> EUR buys, net of the itemised fees.</summary>
public sealed record Quote(
    [property: JsonPropertyName("fiat_amount")] string FiatAmount,
    [property: JsonPropertyName("fiat_symbol")] string FiatSymbol,
    [property: JsonPropertyName("coin_symbol")] string CoinSymbol,
    [property: JsonPropertyName("chain")] string Chain,
    [property: JsonPropertyName("payment_type")] string PaymentType,
    [property: JsonPropertyName("rate")] string Rate,
    [property: JsonPropertyName("coin_amount")] string CoinAmount,
    [property: JsonPropertyName("fees")] QuoteFees Fees,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

public static class PaymentTypes
{
    public const string Card = "card";
    public const string Psd2 = "psd2";
    public const string Transfer = "transfer";

    public static readonly IReadOnlyList<string> All = [Card, Psd2, Transfer];
}
