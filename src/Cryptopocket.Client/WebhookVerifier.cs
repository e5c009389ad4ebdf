using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client;

/// <summary>
/// Checks a webhook delivery on the partner's receiver, by the documented scheme: <c>X-Signature</c> is the hex
/// HMAC-SHA256, keyed with the integration's api_secret, of the exact body bytes followed by the <c>X-Timestamp</c>
/// digits, and <c>X-Timestamp</c> (Unix seconds) is within <see cref="Tolerance"/> of this clock. The signature is
/// compared in constant time; Cryptopocket sends lowercase hex, and uppercase is accepted too. Pass the body exactly
/// as it arrived: parsed and written again, it no longer matches. Deliveries are at least once, so drop the ones
/// whose <see cref="WebhookEvent.Id"/> was already handled (that id is signed; the <c>X-Event-Id</c> header, which
/// repeats it, is not). Safe for concurrent use.
/// </summary>
public sealed class WebhookVerifier
{
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private readonly string _apiSecret;
    private readonly TimeProvider _clock;

    /// <summary>Creates a verifier for one integration.</summary>
    /// <param name="apiSecret">The integration's api_secret; after a secret rotation, deliveries are signed with the new one.</param>
    /// <param name="clock">The clock the timestamp is compared with; the system clock by default.</param>
    /// <param name="tolerance">How far the timestamp may be from <paramref name="clock"/>, either way; 5 minutes by default.</param>
    public WebhookVerifier(string apiSecret, TimeProvider? clock = null, TimeSpan? tolerance = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiSecret);
        var window = tolerance ?? WebhookSignature.DefaultTolerance;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero, nameof(tolerance));
        _apiSecret = apiSecret;
        _clock = clock ?? TimeProvider.System;
        Tolerance = window;
    }

    /// <summary>How far <c>X-Timestamp</c> may be from the clock, either way.</summary>
    public TimeSpan Tolerance { get; }

    /// <summary>Checks a delivery and reads its event.</summary>
    /// <param name="body">The request body, byte for byte as received.</param>
    /// <param name="timestamp">The <c>X-Timestamp</c> header (<see cref="WebhookSignature.TimestampHeader"/>).</param>
    /// <param name="signature">The <c>X-Signature</c> header (<see cref="WebhookSignature.SignatureHeader"/>).</param>
    /// <returns>The event: its id, type, creation time and <c>data</c>.</returns>
    /// <exception cref="WebhookVerificationException">The delivery is refused; <see cref="WebhookVerificationException.Reason"/> says why.</exception>
    public WebhookEvent Verify(ReadOnlySpan<byte> body, string? timestamp, string? signature)
    {
        var failure = Check(body, timestamp, signature, out var webhook, out var cause);
        return failure is { } reason ? throw new WebhookVerificationException(reason, innerException: cause) : webhook!;
    }

    /// <summary>Checks a delivery and reads its event, without throwing.</summary>
    /// <param name="body">The request body, byte for byte as received.</param>
    /// <param name="timestamp">The <c>X-Timestamp</c> header.</param>
    /// <param name="signature">The <c>X-Signature</c> header.</param>
    /// <param name="webhook">The event when the delivery is accepted; otherwise <see langword="null"/>.</param>
    /// <returns>Whether the delivery is authentic, timely and a well-formed event.</returns>
    public bool TryVerify(ReadOnlySpan<byte> body, string? timestamp, string? signature, [NotNullWhen(true)] out WebhookEvent? webhook) =>
        Check(body, timestamp, signature, out webhook, out _) is null;

    private WebhookVerificationFailure? Check(
        ReadOnlySpan<byte> body, string? timestamp, string? signature, out WebhookEvent? webhook, out Exception? cause)
    {
        webhook = null;
        cause = null;
        if (string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > MaxUnixSeconds)
        {
            return WebhookVerificationFailure.MissingHeader;
        }
        if (!WebhookSignature.Verify(body, timestamp, signature, _apiSecret, _clock.GetUtcNow(), Tolerance))
        {
            // Checked again at the moment it claims, the signature alone tells a stale delivery from a forged one.
            var authentic = WebhookSignature.Verify(body, timestamp, signature, _apiSecret, DateTimeOffset.FromUnixTimeSeconds(seconds), TimeSpan.Zero);
            return authentic ? WebhookVerificationFailure.TimestampOutsideTolerance : WebhookVerificationFailure.BadSignature;
        }
        WebhookEvent? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, ClientJson.TypeInfo<WebhookEvent>());
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            cause = exception;
            return WebhookVerificationFailure.MalformedBody;
        }
        if (parsed is not { Id.Length: > 0, Type.Length: > 0 } || parsed.CreatedAt == default || parsed.Data.ValueKind == JsonValueKind.Undefined)
        {
            return WebhookVerificationFailure.MalformedBody;
        }
        webhook = parsed;
        return null;
    }
}
