using System.Globalization;
using System.Text.Json;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Infrastructure;

namespace Cryptopocket.Server.Features.Rampoffs;

public static class RampoffMapping
{
    /// <summary>The documented detail shape; events carry the same shape so receivers parse one thing.</summary>
    public static RampoffDetail ToDetail(this Rampoff r) => new()
    {
        Id = r.Id,
        Status = r.Status,
        Blockchain = r.Chain,
        Crypto = r.CoinSymbol,
        Amount = BaseUnits.From(decimal.Round(r.Amount, r.Decimals), r.Decimals).ToString(CultureInfo.InvariantCulture),
        Decimals = r.Decimals,
        FiatAmount = Money.Fiat(r.FiatAmount),
        FiatSymbol = r.FiatSymbol,
        UserId = r.CustomerId,
        ExternalId = r.ExternalId,
        Wallet = r.DepositAddress,
        ReceivedAmount = BaseUnits.From(decimal.Round(r.ReceivedAmount, r.Decimals), r.Decimals).ToString(CultureInfo.InvariantCulture),
        Rate = Money.Format(r.Rate, 6),
        Fees = Fees(r.ProcessingFeeCents, r.NetworkFeeCents, r.PartnerFeeCents),
        Iban = r.Iban,
        FailureReason = r.FailureReason,
        DepositDeadline = new DateTimeOffset(r.DepositDeadline),
        CreatedAt = new DateTimeOffset(r.CreatedAt),
        UpdatedAt = new DateTimeOffset(r.UpdatedAt == default ? r.CreatedAt : r.UpdatedAt),
    };

    public static QuoteFees Fees(long processingCents, long networkCents, long partnerCents) => new(
        Money.Fiat(processingCents / 100m), Money.Fiat(networkCents / 100m), Money.Fiat(partnerCents / 100m),
        Money.Fiat((processingCents + networkCents + partnerCents) / 100m));

    public static string ToEventPayload(this Rampoff r) =>
        JsonSerializer.Serialize(r.ToDetail(), CryptopocketJson.Options.GetTypeInfo(typeof(RampoffDetail)));
}
