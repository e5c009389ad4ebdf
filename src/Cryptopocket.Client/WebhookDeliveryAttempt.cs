namespace Cryptopocket.Client;

/// <summary>One attempt of a webhook delivery, from <see cref="WebhookDeliveryInfo.AttemptLog"/>.</summary>
/// <param name="AttemptedAt">When the attempt was made.</param>
/// <param name="StatusCode">The HTTP status the receiver answered; <see langword="null"/> when it did not answer.</param>
/// <param name="LatencyMs">How long the attempt took, in milliseconds.</param>
/// <param name="ResponseSnippet">The first 500 bytes of the receiver's answer, if any.</param>
/// <param name="Error">Why no answer arrived (e.g. a timeout or a refused connection), if that is what happened.</param>
public sealed record WebhookDeliveryAttempt(DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? ResponseSnippet, string? Error);
