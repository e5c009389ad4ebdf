namespace Cryptopocket.Client;

/// <summary>Where a webhook delivery stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>A status this version of the SDK does not know; the server may have added one.</summary>
    Unknown = 0,

    /// <summary>Not delivered yet; attempted again at <see cref="WebhookDeliveryInfo.NextAttemptAt"/> (<c>pending</c>).</summary>
    Pending,

    /// <summary>The receiver answered 2xx (<c>delivered</c>).</summary>
    Delivered,

    /// <summary>Every retry of the schedule failed; redeliver to try again (<c>failed</c>).</summary>
    Failed,
}
