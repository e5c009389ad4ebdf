using Cryptopocket.Contracts;
using static Cryptopocket.Client.WireConversions;

namespace Cryptopocket.Client;

/// <summary>
/// Turns the off-ramp's wire records into the SDK's types, failing as <see cref="WireConversions"/> does on a value the
/// contract does not allow.
/// </summary>
internal static class RampoffConversions
{
    public static RampoffStatus RampoffStatus(string? value) => value?.ToLowerInvariant() switch
    {
        RampoffStatuses.WaitingCrypto => Client.RampoffStatus.WaitingCrypto,
        RampoffStatuses.CryptoReceived => Client.RampoffStatus.CryptoReceived,
        RampoffStatuses.PayoutSent => Client.RampoffStatus.PayoutSent,
        RampoffStatuses.Finished => Client.RampoffStatus.Finished,
        RampoffStatuses.Expired => Client.RampoffStatus.Expired,
        RampoffStatuses.Rejected => Client.RampoffStatus.Rejected,
        _ => Client.RampoffStatus.Unknown,
    };

    public static string ToWire(RampoffStatus status) => status switch
    {
        Client.RampoffStatus.WaitingCrypto => RampoffStatuses.WaitingCrypto,
        Client.RampoffStatus.CryptoReceived => RampoffStatuses.CryptoReceived,
        Client.RampoffStatus.PayoutSent => RampoffStatuses.PayoutSent,
        Client.RampoffStatus.Finished => RampoffStatuses.Finished,
        Client.RampoffStatus.Expired => RampoffStatuses.Expired,
        Client.RampoffStatus.Rejected => RampoffStatuses.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only a known sale status can be sent."),
    };

    public static RampoffQuoteResult ToRampoffQuote(OkResponse<RampoffQuote> answer)
    {
        var quote = Required(answer.Data, "data");
        var decimals = BaseUnits.Decimals(quote.Decimals);
        // The base units, not the rounded coin string beside them, are the amount; both views derive from them.
        var units = BaseUnits.Parse(quote.AmountBaseUnits, "amount_base_units");
        return new RampoffQuoteResult(
            BaseUnits.ToCoins(units, decimals, "amount_base_units"),
            units,
            decimals,
            Required(quote.Symbol, "symbol"),
            Required(quote.Blockchain, "blockchain"),
            Required(quote.FiatSymbol, "fiat_symbol"),
            Decimal(quote.Rate, "rate"),
            Decimal(quote.GrossFiatAmount, "gross_fiat_amount"),
            Fees(quote.Fees),
            Decimal(quote.FiatAmount, "fiat_amount"),
            quote.ExpiresAt);
    }

    public static RampoffCreatedResult ToRampoffCreated(OkResponse<RampoffCreated> answer)
    {
        var data = Required(answer.Data, "data");
        return new RampoffCreatedResult(Required(data.Id, "data.id"), Required(data.Wallet, "data.wallet"));
    }

    public static RampoffInfo ToRampoffInfo(OkResponse<RampoffDetail> answer) => ToRampoffInfo(Required(answer.Data, "data"));

    public static RampoffInfo ToRampoffInfo(RampoffDetail rampoff)
    {
        var decimals = BaseUnits.Decimals(rampoff.Decimals);
        var amount = BaseUnits.Parse(rampoff.Amount, "amount");
        var received = BaseUnits.Parse(rampoff.ReceivedAmount, "received_amount");
        return new RampoffInfo(
            Required(rampoff.Id, "id"),
            RampoffStatus(rampoff.Status),
            Required(rampoff.Blockchain, "blockchain"),
            Required(rampoff.Crypto, "crypto"),
            amount,
            decimals,
            BaseUnits.ToCoins(amount, decimals, "amount"),
            Decimal(rampoff.FiatAmount, "fiat_amount"),
            Required(rampoff.FiatSymbol, "fiat_symbol"),
            rampoff.UserId,
            rampoff.ExternalId,
            Required(rampoff.Wallet, "wallet"),
            received,
            BaseUnits.ToCoins(received, decimals, "received_amount"),
            Decimal(rampoff.Rate, "rate"),
            Fees(rampoff.Fees),
            Required(rampoff.Iban, "iban"),
            rampoff.FailureReason,
            rampoff.DepositDeadline,
            rampoff.CreatedAt,
            rampoff.UpdatedAt);
    }

    public static RampoffPage ToRampoffPage(PageResponse<RampoffDetail> answer)
    {
        var pagination = Required(answer.Pagination, "pagination");
        return new RampoffPage(
            Required(answer.Data, "data").Select(r => ToRampoffInfo(Required(r, "data[]"))).ToList(),
            pagination.CurrentPage,
            pagination.PerPage,
            pagination.Total,
            pagination.LastPage);
    }

    private static QuoteFeeBreakdown Fees(QuoteFees? fees)
    {
        var wire = Required(fees, "fees");
        return new QuoteFeeBreakdown(
            Decimal(wire.Processing, "fees.processing"),
            Decimal(wire.Network, "fees.network"),
            Decimal(wire.Partner, "fees.partner"),
            Decimal(wire.Total, "fees.total"));
    }
}
