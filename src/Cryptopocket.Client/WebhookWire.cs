using System.Text.Json.Serialization;

namespace Cryptopocket.Client;

/// <summary>One entry of <c>GET api/webhooks/deliveries</c>.</summary>
internal sealed record WebhookDeliveryDetail(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("event_id")] string? EventId,
    [property: JsonPropertyName("event_type")] string? EventType,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("last_status_code")] int? LastStatusCode,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("delivered_at")] DateTimeOffset? DeliveredAt,
    [property: JsonPropertyName("next_attempt_at")] DateTimeOffset? NextAttemptAt,
    [property: JsonPropertyName("attempt_log")] IReadOnlyList<WebhookAttemptDetail>? AttemptLog);

/// <summary>One entry of a delivery's <c>attempt_log</c>.</summary>
internal sealed record WebhookAttemptDetail(
    [property: JsonPropertyName("attempted_at")] DateTimeOffset AttemptedAt,
    [property: JsonPropertyName("status_code")] int? StatusCode,
    [property: JsonPropertyName("latency_ms")] int LatencyMs,
    [property: JsonPropertyName("response_snippet")] string? ResponseSnippet,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>Body of <c>POST api/webhooks/redeliver</c>.</summary>
internal sealed record RedeliverRangeRequest(
    [property: JsonPropertyName("from")] DateTimeOffset From,
    [property: JsonPropertyName("to")] DateTimeOffset To);

/// <summary>The <c>data</c> of <c>POST api/webhooks/redeliver</c>.</summary>
internal sealed record RedeliveryCount([property: JsonPropertyName("redelivery_scheduled")] int? RedeliveryScheduled);

/// <summary>Body of <c>POST api/webhooks/test</c>.</summary>
internal sealed record SendTestWebhookRequest([property: JsonPropertyName("type")] string Type);

/// <summary>The <c>data</c> of <c>POST api/webhooks/test</c>.</summary>
internal sealed record TestWebhookQueued([property: JsonPropertyName("event_id")] string? EventId);
