namespace Cryptopocket.Client;

/// <summary>One webhook delivery (an event sent to one subscription), as answered by <c>GET api/webhooks/deliveries</c>.</summary>
/// <param name="Id">The delivery's id, for <see cref="CryptopocketClient.RedeliverWebhookAsync"/>.</param>
/// <param name="EventId">The event's id: <c>id</c> in the body and <c>X-Event-Id</c>, the same on every attempt.</param>
/// <param name="EventType">The event's type (see <see cref="WebhookEventTypes"/>).</param>
/// <param name="Url">The subscription's URL the delivery is sent to.</param>
/// <param name="Status">The delivery's status; <see cref="WebhookDeliveryStatus.Unknown"/> for a status this SDK does not know.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="LastStatusCode">The HTTP status the receiver last answered; <see langword="null"/> before the first answer.</param>
/// <param name="CreatedAt">When the delivery was created.</param>
/// <param name="DeliveredAt">When the receiver answered 2xx; <see langword="null"/> until then.</param>
/// <param name="NextAttemptAt">When the next attempt is due; only while <paramref name="Status"/> is <see cref="WebhookDeliveryStatus.Pending"/>.</param>
/// <param name="AttemptLog">Every attempt, oldest first.</param>
public sealed record WebhookDeliveryInfo(
    long Id,
    string EventId,
    string EventType,
    Uri Url,
    WebhookDeliveryStatus Status,
    int Attempts,
    int? LastStatusCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? NextAttemptAt,
    IReadOnlyList<WebhookDeliveryAttempt> AttemptLog);
