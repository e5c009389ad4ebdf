using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Events;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>What one attempt sends: the signed bytes of the event envelope and the request that carries them.</summary>
public static class WebhookMessage
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = CryptopocketJson.Options.Encoder };

    /// <summary>
    /// The bytes that are signed and sent: the <see cref="WebhookEvent"/> envelope with the resource as its GET endpoint
    /// shows it. The payload is already that JSON, so it is copied in as it is (checked, not parsed into a document and
    /// written out again for every delivery).
    /// </summary>
    public static byte[] Body(OutboxEvent outboxEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(outboxEvent.Payload.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", outboxEvent.Id);
            writer.WriteString("type", outboxEvent.Type);
            writer.WriteString("created_at", outboxEvent.OccurredAt.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture));
            writer.WritePropertyName("data");
            writer.WriteRawValue(outboxEvent.Payload);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A signed POST of <paramref name="body"/>; the header values are ours and well-formed, so they skip parsing.</summary>
    public static HttpRequestMessage Request(Uri url, byte[] body, string apiKey, string secret, OutboxEvent outboxEvent, long unixSeconds)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.ApiKeyHeader, apiKey);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, unixSeconds.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(body, unixSeconds, secret));
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventIdHeader, outboxEvent.Id);
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventTypeHeader, outboxEvent.Type);
        return request;
    }
}
