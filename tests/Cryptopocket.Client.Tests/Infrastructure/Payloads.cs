namespace Cryptopocket.Client.Tests.Infrastructure;

/// <summary>Success answers shaped as the server writes them.</summary>
public static class Payloads
{
    public const string Assets = """
        [{"symbol":"USDT","name":"Tether","chain":"polygon","decimals":6,"fiat_symbol":"EUR","min_purchase":"10.00","max_purchase":"5000.00","buy_enabled":true,"sell_enabled":false}]
        """;

    public const string Price = """
        {"symbol":"USDT","fiat_symbol":"EUR","price":"0.921456","updated_at":"2026-06-26T10:30:00.000000Z"}
        """;

    public const string PaymentMethods = """
        [{"code":"card","name":"Card","fiat_symbol":"EUR","allowed":true,"fee_percent":"2.50","fee_fixed":"0.30"},
         {"code":"transfer","name":"Bank transfer","fiat_symbol":"EUR","allowed":false,"fee_percent":"0.00","fee_fixed":"1.00"}]
        """;

    public const string Quote = """
        {"fiat_amount":"100.00","fiat_symbol":"EUR","coin_symbol":"ETH","chain":"ethereum","payment_type":"card",
         "rate":"105.597826","coin_amount":"0.123456789012345678",
         "fees":{"processing":"2.80","network":"0.45","partner":"1.00","total":"4.25"},
         "expires_at":"2026-06-26T10:05:00.000000Z"}
        """;

    public const string RegisteredUser = """
        {"id":42,"email":"ana@example.com","name":"Ana","last_name":"García","identification_number":"12345678Z",
         "country":"ES","kyc_valid":false,"kyc_form_url":"http://cp.test/kyc/abc"}
        """;

    public static string Kyc(string status) => $$$"""
        {"status":"ok","kyc_status":"{{{status}}}","data":{"user_id":42,"kyc_status":"{{{status}}}","kyc_form_url":"http://cp.test/kyc/abc","reason":null,"updated_at":"2026-06-26T09:15:00.000000Z"}}
        """;
}
