using System.Globalization;
using System.Text.Json;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client;

/// <summary>
/// Turns the wire records into the SDK's types. A value the contract does not allow throws
/// <see cref="FormatException"/>, which <see cref="ResponseReader"/> reports as an unexpected response.
/// </summary>
internal static class WireConversions
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign;

    public static T Required<T>(T? value, string field)
        where T : class =>
        value ?? throw new FormatException($"The answer has no '{field}'.");

    public static decimal Decimal(string? value, string field)
    {
        if (value is null)
        {
            throw new FormatException($"The answer has no '{field}'.");
        }
        try
        {
            return decimal.Parse(value, DecimalStyle, CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            throw new FormatException($"The answer's '{field}' is not a decimal string.", exception);
        }
    }

    public static long Long(string? value, string field)
    {
        if (value is null)
        {
            throw new FormatException($"The answer has no '{field}'.");
        }
        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"The answer's '{field}' is not a whole number string.");
    }

    /// <summary>Cents as currency units; the product keeps two decimals, so 15050 is 150.50.</summary>
    public static decimal FromCents(long cents) => cents * 0.01m;

    public static PaymentStatus PaymentStatus(string? value) => value?.ToLowerInvariant() switch
    {
        "started" => Client.PaymentStatus.Started,
        "pending_bank" => Client.PaymentStatus.PendingBank,
        "payment_received" => Client.PaymentStatus.PaymentReceived,
        "coins_sent" => Client.PaymentStatus.CoinsSent,
        "payment_rejected" => Client.PaymentStatus.PaymentRejected,
        "expired" => Client.PaymentStatus.Expired,
        _ => Client.PaymentStatus.Unknown,
    };

    public static string ToWire(PaymentStatus status) => status switch
    {
        Client.PaymentStatus.Started => "started",
        Client.PaymentStatus.PendingBank => "pending_bank",
        Client.PaymentStatus.PaymentReceived => "payment_received",
        Client.PaymentStatus.CoinsSent => "coins_sent",
        Client.PaymentStatus.PaymentRejected => "payment_rejected",
        Client.PaymentStatus.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only a known payment status can be sent."),
    };

    public static WebhookDeliveryStatus WebhookDeliveryStatus(string? value) => value?.ToLowerInvariant() switch
    {
        "pending" => Client.WebhookDeliveryStatus.Pending,
        "delivered" => Client.WebhookDeliveryStatus.Delivered,
        "failed" => Client.WebhookDeliveryStatus.Failed,
        _ => Client.WebhookDeliveryStatus.Unknown,
    };

    public static string ToWire(WebhookDeliveryStatus status) => status switch
    {
        Client.WebhookDeliveryStatus.Pending => "pending",
        Client.WebhookDeliveryStatus.Delivered => "delivered",
        Client.WebhookDeliveryStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only a known delivery status can be sent."),
    };

    public static Uri AbsoluteUrl(string? value, string field) =>
        Uri.TryCreate(Required(value, field), UriKind.Absolute, out var url)
            ? url
            : throw new FormatException($"The answer's '{field}' is not an absolute URL.");

    public static KycStatus KycStatus(string? value) => value?.ToUpperInvariant() switch
    {
        "UNUSED" => Client.KycStatus.Unused,
        "PROCESSING" => Client.KycStatus.Processing,
        "VALID" => Client.KycStatus.Valid,
        "FAIL" => Client.KycStatus.Fail,
        _ => Client.KycStatus.Unknown,
    };

    public static AccessToken ToAccessToken(OkResponse<AuthenticateData> answer, DateTimeOffset requestedAt)
    {
        var data = Required(answer.Data, "data");
        var token = Required(data.Token, "data.token");
        if (token.Length == 0)
        {
            throw new FormatException("The answer's 'data.token' is empty.");
        }
        // expires_in counted from before the request on the local clock is never later than the real expiry, whatever
        // the skew between the two clocks; the server's expires_at is only the fallback when expires_in is missing.
        var expiresAt = data.ExpiresIn > 0 ? requestedAt.AddSeconds(data.ExpiresIn) : data.ExpiresAt;
        return new AccessToken(token, expiresAt);
    }

    public static IReadOnlyList<Asset> ToAssets(OkResponse<IReadOnlyList<AvailableAsset>> answer) =>
        Required(answer.Data, "data").Select(ToAsset).ToList();

    public static Asset ToAsset(AvailableAsset asset) => new(
        Required(asset.Symbol, "symbol"),
        Required(asset.Name, "name"),
        Required(asset.Chain, "chain"),
        asset.Decimals,
        Required(asset.FiatSymbol, "fiat_symbol"),
        Decimal(asset.MinPurchase, "min_purchase"),
        Decimal(asset.MaxPurchase, "max_purchase"),
        asset.BuyEnabled,
        asset.SellEnabled);

    public static Price ToPrice(OkResponse<TokenPrice> answer)
    {
        var price = Required(answer.Data, "data");
        return new Price(
            Required(price.Symbol, "symbol"),
            Required(price.FiatSymbol, "fiat_symbol"),
            Decimal(price.Price, "price"),
            price.UpdatedAt);
    }

    public static IReadOnlyList<PaymentMethodInfo> ToPaymentMethods(OkResponse<IReadOnlyList<PaymentMethod>> answer) =>
        Required(answer.Data, "data")
            .Select(m => new PaymentMethodInfo(
                Required(m.Code, "code"),
                Required(m.Name, "name"),
                Required(m.FiatSymbol, "fiat_symbol"),
                m.Allowed,
                Decimal(m.FeePercent, "fee_percent"),
                Decimal(m.FeeFixed, "fee_fixed")))
            .ToList();

    public static QuoteResult ToQuote(OkResponse<Quote> answer)
    {
        var quote = Required(answer.Data, "data");
        var fees = Required(quote.Fees, "fees");
        return new QuoteResult(
            Decimal(quote.FiatAmount, "fiat_amount"),
            Required(quote.FiatSymbol, "fiat_symbol"),
            Required(quote.CoinSymbol, "coin_symbol"),
            Required(quote.Chain, "chain"),
            Required(quote.PaymentType, "payment_type"),
            Decimal(quote.Rate, "rate"),
            Decimal(quote.CoinAmount, "coin_amount"),
            new QuoteFeeBreakdown(
                Decimal(fees.Processing, "fees.processing"),
                Decimal(fees.Network, "fees.network"),
                Decimal(fees.Partner, "fees.partner"),
                Decimal(fees.Total, "fees.total")),
            quote.ExpiresAt);
    }

    public static RegisteredUser ToRegisteredUser(OkResponse<RegisteredUser> answer) => Required(answer.Data, "data");

    public static KycResult ToKycResult(KycCheckResponse answer)
    {
        var data = Required(answer.Data, "data");
        return new KycResult(data.UserId, KycStatus(data.KycStatus ?? answer.KycStatus), data.KycFormUrl, data.Reason, data.UpdatedAt);
    }

    /// <summary>
    /// The two success shapes of <c>POST api/createPayment</c>: <c>url_payment</c> for card and PSD2, the bank
    /// details for a transfer (whose envelope says <c>sucess</c>). The shape, not the envelope's spelling, decides.
    /// </summary>
    public static PaymentCreated ToPaymentCreated(SuccessResponse<JsonElement> answer)
    {
        var data = answer.Data;
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The answer's 'data' is not an object.");
        }
        if (data.TryGetProperty("iban", out _))
        {
            var transfer = Required(ResponseReader.Deserialize<TransferPaymentCreated>(data), "data");
            if (transfer.Concept <= 0)
            {
                throw new FormatException("The answer's 'data.concept' is missing or not positive.");
            }
            return new PaymentCreated(
                Required(transfer.PaymentId, "data.payment_id"),
                PaymentUrl: null,
                new BankTransferInstructions(
                    Required(transfer.Iban, "data.iban"),
                    Required(transfer.Bic, "data.bic"),
                    transfer.Concept,
                    Required(transfer.DestinationName, "data.destination_name")));
        }
        var card = Required(ResponseReader.Deserialize<CardPaymentCreated>(data), "data");
        return new PaymentCreated(Required(card.PaymentId, "data.payment_id"), Required(card.UrlPayment, "data.url_payment"), Transfer: null);
    }

    public static GuidedPaymentResult ToGuidedPaymentResult(SuccessResponse<GuidedPaymentCreated> answer)
    {
        var data = Required(answer.Data, "data");
        var gatewayUrl = AbsoluteUrl(data.GatewayUrl, "data.gateway_url");
        return new GuidedPaymentResult(Required(data.PaymentId, "data.payment_id"), gatewayUrl, data.ExternalId);
    }

    public static PaymentInfo ToPaymentInfo(OkResponse<PaymentDetail> answer) => ToPaymentInfo(Required(answer.Data, "data"));

    public static PaymentInfo ToPaymentInfo(PaymentDetail payment) => new(
        Required(payment.Id, "id"),
        payment.ExternalId,
        Long(payment.UserId, "user_id"),
        PaymentStatus(payment.Status),
        FromCents(payment.FiatAmount),
        Required(payment.FiatSymbol, "fiat_symbol"),
        Required(payment.CoinSymbol, "coin_symbol"),
        payment.CoinAmount,
        payment.CreatedAt,
        payment.Holder,
        payment.Txid,
        Required(payment.PaymentType, "payment_type"),
        Required(payment.CoinChain, "coin_chain"),
        payment.Wallet,
        payment.FailureReason,
        payment.UpdatedAt);

    public static PaymentPage ToPaymentPage(PageResponse<PaymentDetail> answer)
    {
        var pagination = Required(answer.Pagination, "pagination");
        return new PaymentPage(
            Required(answer.Data, "data").Select(p => ToPaymentInfo(Required(p, "data[]"))).ToList(),
            pagination.CurrentPage,
            pagination.PerPage,
            pagination.Total,
            pagination.LastPage);
    }

    /// <summary>The <c>data</c> string of an acknowledgement, e.g. <c>subscription_created</c>.</summary>
    public static string ToAcknowledgement(OkResponse<string> answer) => Required(answer.Data, "data");

    public static IReadOnlyList<WebhookDeliveryInfo> ToWebhookDeliveries(OkResponse<IReadOnlyList<WebhookDeliveryDetail>> answer) =>
        Required(answer.Data, "data").Select(ToWebhookDelivery).ToList();

    public static WebhookDeliveryInfo ToWebhookDelivery(WebhookDeliveryDetail delivery) => new(
        delivery.Id,
        Required(delivery.EventId, "event_id"),
        Required(delivery.EventType, "event_type"),
        AbsoluteUrl(delivery.Url, "url"),
        WebhookDeliveryStatus(delivery.Status),
        delivery.Attempts,
        delivery.LastStatusCode,
        delivery.CreatedAt,
        delivery.DeliveredAt,
        delivery.NextAttemptAt,
        Required(delivery.AttemptLog, "attempt_log")
            .Select(a => new WebhookDeliveryAttempt(a.AttemptedAt, a.StatusCode, a.LatencyMs, a.ResponseSnippet, a.Error))
            .ToList());

    public static int ToRedeliveryCount(OkResponse<RedeliveryCount> answer) =>
        Required(answer.Data, "data").RedeliveryScheduled ?? throw new FormatException("The answer has no 'data.redelivery_scheduled'.");

    public static string ToTestEventId(OkResponse<TestWebhookQueued> answer) =>
        Required(Required(answer.Data, "data").EventId, "data.event_id");
}
