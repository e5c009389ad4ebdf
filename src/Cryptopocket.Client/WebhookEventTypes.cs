namespace Cryptopocket.Client;

/// <summary>
/// The webhook event types, as sent in the body's <c>type</c> and the <c>X-Event-Type</c> header, and as passed to
/// <see cref="CryptopocketClient.SubscribeToWebhookAsync"/>.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>A purchase is paid (<c>payment_received</c>); <c>data</c> is the purchase.</summary>
    public const string PayIn = "PAY_IN";

    /// <summary>A purchase's coins are confirmed on chain (<c>coins_sent</c>, with <c>txid</c>); <c>data</c> is the purchase.</summary>
    public const string CoinsSent = "COINS_SENT";

    /// <summary>The crypto of a sale arrived; <c>data</c> is the sale.</summary>
    public const string CryptoReceived = "CRYPTO_RECEIVED";

    /// <summary>A sale's bank transfer is done; <c>data</c> is the sale.</summary>
    public const string TransferRampoffFinished = "TRANSFER_RAMPOFF_FINISHED";

    /// <summary>
    /// The older name of <see cref="TransferRampoffFinished"/>: accepted when subscribing, never sent (events carry the
    /// new name).
    /// </summary>
    public const string RampoffFinished = "RAMPOFF_FINISHED";

    /// <summary>A purchase ends <c>payment_rejected</c> or <c>expired</c>; <c>data</c> is the purchase, with <c>failure_reason</c>.</summary>
    public const string PaymentFailed = "PAYMENT_FAILED";

    /// <summary>A sale ends <c>expired</c> (nothing arrived) or <c>rejected</c> (too little to pay out); <c>data</c> is the sale.</summary>
    public const string RampoffFailed = "RAMPOFF_FAILED";

    /// <summary>A customer's KYC status changes; <c>data</c> is <c>{"user_id","kyc_status","reason"?,"updated_at"}</c>.</summary>
    public const string KycStatusChanged = "KYC_STATUS_CHANGED";

    /// <summary>
    /// Sent only by <see cref="CryptopocketClient.SendTestWebhookAsync"/>, to the subscription of the type asked for;
    /// <c>data</c> is <c>{"test":true,"subscription_type","url"}</c>. It cannot be subscribed to.
    /// </summary>
    public const string WebhookTest = "WEBHOOK_TEST";
}
