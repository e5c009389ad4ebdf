using System.Globalization;
using System.Text.Json;
using Cryptopocket.Contracts;

namespace Cryptopocket.Server.Features.Payments;

public static class PaymentMapping
{
    /// <summary>The documented detail shape; events carry the same shape so receivers parse one thing.</summary>
    public static PaymentDetail ToDetail(this Payment p) => new()
    {
        Id = p.Id,
        ExternalId = p.ExternalId,
        UserId = p.CustomerId.ToString(CultureInfo.InvariantCulture),
        Status = p.Status,
        FiatAmount = p.FiatAmountCents,
        FiatSymbol = p.FiatSymbol,
        CoinSymbol = p.CoinSymbol,
        // PostgreSQL hands numeric(38,18) back with its full scale (53.967391000000000000); print the same digits everywhere.
        CoinAmount = decimal.Round(p.CoinAmount, p.CoinDecimals) / 1.000000000000000000000000000000000m,
        CreatedAt = new DateTimeOffset(p.CreatedAt),
        Holder = p.HolderJson is null ? null : JsonDocument.Parse(p.HolderJson).RootElement.Clone(),
        Txid = p.Status == PaymentStatuses.CoinsSent ? p.Txid : null,
        PaymentType = p.PaymentType,
        CoinChain = p.Chain,
        Wallet = p.Wallet,
        FailureReason = p.FailureReason,
        UpdatedAt = new DateTimeOffset(p.UpdatedAt == default ? p.CreatedAt : p.UpdatedAt),
    };

    public static string ToEventPayload(this Payment p) =>
        JsonSerializer.Serialize(p.ToDetail(), CryptopocketJson.Options.GetTypeInfo(typeof(PaymentDetail)));
}
