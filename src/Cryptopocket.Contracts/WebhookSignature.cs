using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cryptopocket.Contracts;

/// <summary>
/// The documented webhook signature (wire reference §8.4): <c>X-Signature</c> is the lowercase hex HMAC-SHA256, keyed
/// with the integration's api_secret, of the exact body bytes immediately followed by the <c>X-Timestamp</c> value
/// (Unix seconds, ASCII). Receivers reject timestamps more than five minutes away from their clock.
/// </summary>
public static class WebhookSignature
{
    public const string ApiKeyHeader = "X-API-Key";
    public const string TimestampHeader = "X-Timestamp";
    public const string SignatureHeader = "X-Signature";

    /// <summary>Not in the public docs: the event's id, so a receiver can drop the duplicates at-least-once delivery brings.</summary>
    public const string EventIdHeader = "X-Event-Id";

    public const string EventTypeHeader = "X-Event-Type";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static string Sign(ReadOnlySpan<byte> body, long unixSeconds, string apiSecret)
    {
        ArgumentNullException.ThrowIfNull(apiSecret);
        var timestamp = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture));
        var message = new byte[body.Length + timestamp.Length];
        body.CopyTo(message);
        timestamp.CopyTo(message, body.Length);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiSecret), message));
    }

    /// <summary>
    /// Checks a delivery: the signature (compared in constant time) and the timestamp's distance from <paramref name="now"/>.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> body, string? timestamp, string? signature, string apiSecret, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (timestamp is null || signature is null || signature.Length != 64
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (tolerance ?? DefaultTolerance).TotalSeconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(body, seconds, apiSecret));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}

/// <summary>The body of every webhook delivery.</summary>
public sealed record WebhookEvent(
    [property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id,
    [property: System.Text.Json.Serialization.JsonPropertyName("type")] string Type,
    [property: System.Text.Json.Serialization.JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: System.Text.Json.Serialization.JsonPropertyName("data")] System.Text.Json.JsonElement Data);
