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

    public const string PaymentId = "cp01jz8k3m4n5p6q7r8s9t0v1";

    public static string CardCreated(string status = "success") => $$$"""
        {"status":"{{{status}}}","message":"payment_created","data":{"url_payment":"http://cp.test/gateway/card?token=g4t3","payment_id":"{{{PaymentId}}}"}}
        """;

    public static string TransferCreated(string status = "sucess") => $$$"""
        {"status":"{{{status}}}","message":"payment_created",
         "data":{"payment_id":"{{{PaymentId}}}","iban":"ES9121000418450200051332","bic":"CAIXESBBXXX","concept":482913577,"destination_name":"Cryptopocket SL"}}
        """;

    public const string GuidedCreated = $$$"""
        {"status":"success","message":"guided_payment_created","data":{"payment_id":"{{{PaymentId}}}","gateway_url":"http://cp.test/payment/{{{PaymentId}}}","external_id":"order-77"}}
        """;

    /// <summary>One <c>PaymentDetail</c>; <paramref name="holderJson"/> is written raw and <c>txid</c> left out when <see langword="null"/>.</summary>
    public static string Payment(
        string id = PaymentId, string status = "coins_sent", string? txid = "0xabc123", string holderJson = """{"name":"Ana García","iban":"ES91***1332"}""")
    {
        var txidMember = txid is null ? "" : $"\"txid\":\"{txid}\",";
        return $$$"""
            {"id":"{{{id}}}","external_id":"order-77","user_id":"9007199254740993","status":"{{{status}}}","fiat_amount":15050,"fiat_symbol":"EUR",
             "coin_symbol":"USDT","coin_amount":163.123456789012345678,"created_at":"2026-06-26T10:30:00.000000Z","holder":{{{holderJson}}},
             {{{txidMember}}}"payment_type":"card","coin_chain":"polygon",
             "wallet":"0x52908400098527886E0F7030069857D2E4169EE7","failure_reason":null,"updated_at":"2026-06-26T10:45:00.000000Z"}
            """;
    }

    public static string PaymentsPage(IEnumerable<string> ids, int page, int perPage, int total, int lastPage) => $$$"""
        {"status":"ok","data":[{{{string.Join(",", ids.Select(id => Payment(id)))}}}],
         "pagination":{"current_page":{{{page}}},"per_page":{{{perPage}}},"total":{{{total}}},"last_page":{{{lastPage}}}}}
        """;
}
