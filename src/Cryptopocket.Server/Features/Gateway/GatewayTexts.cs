namespace Cryptopocket.Server.Features.Gateway;

/// <summary>The hosted payment gateway's words in Spanish and English.</summary>
public sealed class GatewayTexts
{
    public required string Lang { get; init; }
    public required string Review { get; init; }
    public required string YouPay { get; init; }
    public required string YouReceive { get; init; }
    public required string Network { get; init; }
    public required string Fees { get; init; }
    public required string Rate { get; init; }
    public required string Wallet { get; init; }
    public required string WalletHint { get; init; }
    public required string Method { get; init; }
    public required string Card { get; init; }
    public required string Psd2 { get; init; }
    public required string Transfer { get; init; }
    public required string Continue { get; init; }
    public required string CardTitle { get; init; }
    public required string CardNumber { get; init; }
    public required string CardExpiry { get; init; }
    public required string CardCvc { get; init; }
    public required string CardHolder { get; init; }
    public required string Pay { get; init; }
    public required string TestCards { get; init; }
    public required string ChallengeTitle { get; init; }
    public required string ChallengeBody { get; init; }
    public required string ChallengeCode { get; init; }
    public required string Confirm { get; init; }
    public required string Psd2Title { get; init; }
    public required string ChooseBank { get; init; }
    public required string Consent { get; init; }
    public required string Cancel { get; init; }
    public required string TransferTitle { get; init; }
    public required string TransferBody { get; init; }
    public required string Beneficiary { get; init; }
    public required string Concept { get; init; }
    public required string Amount { get; init; }
    public required string Sent { get; init; }
    public required string StatusTitle { get; init; }
    public required string StatusStarted { get; init; }
    public required string StatusPendingBank { get; init; }
    public required string StatusReceived { get; init; }
    public required string StatusSent { get; init; }
    public required string StatusRejected { get; init; }
    public required string StatusExpired { get; init; }
    public required string BackToMerchant { get; init; }
    public required string NotFound { get; init; }
    public required string ErrorWallet { get; init; }
    public required string ErrorMethod { get; init; }
    public required string ErrorCard { get; init; }
    public required string ErrorExpiry { get; init; }
    public required string ErrorCvc { get; init; }
    public required string ErrorHolder { get; init; }
    public required string ErrorUnknownCard { get; init; }
    public required string ErrorBank { get; init; }
    public required string ErrorCode { get; init; }

    public static GatewayTexts For(string lang) => lang == "es" ? Spanish : English;

    public static string Pick(string? query, string? acceptLanguage) => Kyc.KycTexts.Pick(query, acceptLanguage);

    public string StatusText(string status) => status switch
    {
        Payments.PaymentStatuses.Started => StatusStarted,
        Payments.PaymentStatuses.PendingBank => StatusPendingBank,
        Payments.PaymentStatuses.PaymentReceived => StatusReceived,
        Payments.PaymentStatuses.CoinsSent => StatusSent,
        Payments.PaymentStatuses.PaymentRejected => StatusRejected,
        _ => StatusExpired,
    };

    public string MethodName(string code) => code switch
    {
        Contracts.PaymentTypes.Card => Card,
        Contracts.PaymentTypes.Psd2 => Psd2,
        _ => Transfer,
    };

    public static readonly GatewayTexts English = new()
    {
        Lang = "en", Review = "Review your purchase", YouPay = "You pay", YouReceive = "You receive", Network = "Network",
        Fees = "Fees", Rate = "Price", Wallet = "Your wallet address", WalletHint = "The address that will receive the coins (0x…). Check it carefully: crypto sent to a wrong address cannot be recovered.",
        Method = "Payment method", Card = "Card", Psd2 = "Pay from your bank (PSD2)", Transfer = "SEPA bank transfer", Continue = "Continue",
        CardTitle = "Pay by card", CardNumber = "Card number", CardExpiry = "Expiry (MM/YY)", CardCvc = "CVC", CardHolder = "Name on card", Pay = "Pay",
        TestCards = "Sandbox test cards: 4242 4242 4242 4242 approves, 4000 0000 0000 0002 is declined, 4000 0000 0000 3220 asks for a code (123456).",
        ChallengeTitle = "Confirm with your bank", ChallengeBody = "Your bank sent you a one-time code.", ChallengeCode = "Code", Confirm = "Confirm",
        Psd2Title = "Pay from your bank", ChooseBank = "Choose your bank", Consent = "Authorise payment", Cancel = "Cancel",
        TransferTitle = "Send a bank transfer", TransferBody = "Send exactly this amount with the concept shown. We credit your purchase when the money arrives.",
        Beneficiary = "Beneficiary", Concept = "Concept (reference)", Amount = "Amount", Sent = "I have sent the transfer",
        StatusTitle = "Purchase status", StatusStarted = "Waiting for your payment.", StatusPendingBank = "We are waiting for your transfer to arrive.",
        StatusReceived = "Payment received. Your crypto is on its way.", StatusSent = "Done: the crypto has been sent to your wallet.",
        StatusRejected = "The payment was not completed.", StatusExpired = "This purchase has expired.", BackToMerchant = "Back to the merchant",
        NotFound = "This payment link is not valid.", ErrorWallet = "Enter a valid address: 0x followed by 40 hexadecimal characters.",
        ErrorMethod = "Choose a payment method.", ErrorCard = "The card number is not valid.", ErrorExpiry = "The expiry date is not valid or has passed.",
        ErrorCvc = "The CVC must be 3 or 4 digits.", ErrorHolder = "Enter the name on the card.", ErrorUnknownCard = "The sandbox accepts only the test cards listed below.",
        ErrorBank = "Choose a bank.", ErrorCode = "The code is not correct.",
    };

    public static readonly GatewayTexts Spanish = new()
    {
        Lang = "es", Review = "Revisa tu compra", YouPay = "Pagas", YouReceive = "Recibes", Network = "Red",
        Fees = "Comisiones", Rate = "Precio", Wallet = "Dirección de tu wallet", WalletHint = "La dirección que recibirá las monedas (0x…). Revísala bien: las criptomonedas enviadas a una dirección equivocada no se pueden recuperar.",
        Method = "Método de pago", Card = "Tarjeta", Psd2 = "Pago desde tu banco (PSD2)", Transfer = "Transferencia SEPA", Continue = "Continuar",
        CardTitle = "Pago con tarjeta", CardNumber = "Número de tarjeta", CardExpiry = "Caducidad (MM/AA)", CardCvc = "CVC", CardHolder = "Titular de la tarjeta", Pay = "Pagar",
        TestCards = "Tarjetas de prueba: 4242 4242 4242 4242 aprueba, 4000 0000 0000 0002 se rechaza, 4000 0000 0000 3220 pide un código (123456).",
        ChallengeTitle = "Confirma con tu banco", ChallengeBody = "Tu banco te ha enviado un código de un solo uso.", ChallengeCode = "Código", Confirm = "Confirmar",
        Psd2Title = "Pago desde tu banco", ChooseBank = "Elige tu banco", Consent = "Autorizar el pago", Cancel = "Cancelar",
        TransferTitle = "Haz una transferencia", TransferBody = "Envía exactamente este importe con el concepto indicado. Abonaremos tu compra cuando llegue el dinero.",
        Beneficiary = "Beneficiario", Concept = "Concepto (referencia)", Amount = "Importe", Sent = "Ya he enviado la transferencia",
        StatusTitle = "Estado de la compra", StatusStarted = "Esperando tu pago.", StatusPendingBank = "Esperamos a que llegue tu transferencia.",
        StatusReceived = "Pago recibido. Tus criptomonedas están en camino.", StatusSent = "Hecho: las criptomonedas se han enviado a tu wallet.",
        StatusRejected = "El pago no se ha completado.", StatusExpired = "Esta compra ha caducado.", BackToMerchant = "Volver al comercio",
        NotFound = "Este enlace de pago no es válido.", ErrorWallet = "Introduce una dirección válida: 0x seguido de 40 caracteres hexadecimales.",
        ErrorMethod = "Elige un método de pago.", ErrorCard = "El número de tarjeta no es válido.", ErrorExpiry = "La fecha de caducidad no es válida o ya ha pasado.",
        ErrorCvc = "El CVC debe tener 3 o 4 dígitos.", ErrorHolder = "Introduce el titular de la tarjeta.", ErrorUnknownCard = "El sandbox solo acepta las tarjetas de prueba indicadas abajo.",
        ErrorBank = "Elige un banco.", ErrorCode = "El código no es correcto.",
    };
}
