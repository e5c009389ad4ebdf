namespace Cryptopocket.Client;

/// <summary>A webhook delivery that <see cref="WebhookVerifier.Verify"/> refused; <see cref="Reason"/> says why.</summary>
public sealed class WebhookVerificationException : Exception
{
    /// <summary>Creates an exception for a refused delivery.</summary>
    /// <param name="reason">Why the delivery was refused.</param>
    /// <param name="message">What went wrong; a description of <paramref name="reason"/> when <see langword="null"/> or empty.</param>
    /// <param name="innerException">What made the body unreadable, if anything.</param>
    public WebhookVerificationException(WebhookVerificationFailure reason, string? message = null, Exception? innerException = null)
        : base(string.IsNullOrEmpty(message) ? Describe(reason) : message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Creates a <see cref="WebhookVerificationFailure.BadSignature"/> exception.</summary>
    public WebhookVerificationException()
        : this(WebhookVerificationFailure.BadSignature)
    {
    }

    /// <summary>Creates a <see cref="WebhookVerificationFailure.BadSignature"/> exception.</summary>
    /// <param name="message">What went wrong.</param>
    public WebhookVerificationException(string message)
        : this(WebhookVerificationFailure.BadSignature, message)
    {
    }

    /// <summary>Creates a <see cref="WebhookVerificationFailure.BadSignature"/> exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookVerificationException(string message, Exception innerException)
        : this(WebhookVerificationFailure.BadSignature, message, innerException)
    {
    }

    /// <summary>Why the delivery was refused.</summary>
    public WebhookVerificationFailure Reason { get; }

    private static string Describe(WebhookVerificationFailure reason) => reason switch
    {
        WebhookVerificationFailure.MissingHeader => "The X-Timestamp or X-Signature header is missing, or X-Timestamp is not Unix seconds.",
        WebhookVerificationFailure.BadSignature => "The X-Signature does not match the body and X-Timestamp.",
        WebhookVerificationFailure.TimestampOutsideTolerance => "The X-Timestamp is too far from this clock.",
        WebhookVerificationFailure.MalformedBody => "The body is not a webhook event envelope.",
        _ => reason.ToString(),
    };
}
