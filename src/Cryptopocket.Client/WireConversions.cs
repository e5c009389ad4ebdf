using System.Globalization;
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
}
