namespace Cryptopocket.Client;

/// <summary>Why <see cref="WebhookVerifier"/> refused a delivery.</summary>
public enum WebhookVerificationFailure
{
    /// <summary>
    /// The <c>X-Timestamp</c> or <c>X-Signature</c> header is missing or empty, or <c>X-Timestamp</c> is not Unix seconds
    /// (digits only, no later than the year 9999).
    /// </summary>
    MissingHeader = 0,

    /// <summary>
    /// The signature does not match the body and timestamp: the body was changed (or re-encoded before verifying),
    /// the secret is not the integration's current one, or the delivery was not sent by Cryptopocket.
    /// </summary>
    BadSignature,

    /// <summary>
    /// The signature is right but the timestamp is further than the tolerance from this clock: a replayed delivery, or
    /// a receiver whose clock is wrong.
    /// </summary>
    TimestampOutsideTolerance,

    /// <summary>The delivery is authentic but its body is not the documented event envelope (<c>{id,type,created_at,data}</c>).</summary>
    MalformedBody,
}
