using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cryptopocket.Client.Tests.Infrastructure;

namespace Cryptopocket.Client.Tests;

public sealed class WebhookVerifierTests
{
    private const string Secret = "whsec-integration-1";

    // Non-ASCII on purpose: the signature covers the UTF-8 bytes as sent, not a re-encoding of them.
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """
        {"id":"evt_Q2hH3kVb0aX7LmNpRsTuVwXyZ","type":"PAY_IN","created_at":"2026-06-26T09:59:01.123456Z",
         "data":{"id":"aBcDeFgHiJkLmNoPqRsTuVwXy","status":"payment_received","holder":{"name":"LUCÍA GARCÍA"},"fiat_amount":10000}}
        """);

    private static readonly long Now = FakeApi.Start.ToUnixTimeSeconds();

    /// <summary>The documented scheme, computed here without the SDK or the contracts: hex HMAC-SHA256 of body + timestamp digits.</summary>
    public static string Sign(byte[] body, string timestamp, string secret = Secret)
    {
        var message = body.Concat(Encoding.ASCII.GetBytes(timestamp)).ToArray();
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    private static string Seconds(long unixSeconds) => unixSeconds.ToString(CultureInfo.InvariantCulture);

    private static WebhookVerifier Verifier(TimeSpan? tolerance = null) =>
        new(Secret, new ManualTimeProvider(FakeApi.Start), tolerance);

    private static WebhookVerificationFailure Refusal(WebhookVerifier verifier, byte[] body, string? timestamp, string? signature)
    {
        var error = Assert.Throws<WebhookVerificationException>(() => verifier.Verify(body, timestamp, signature));
        Assert.False(verifier.TryVerify(body, timestamp, signature, out var webhook));
        Assert.Null(webhook);
        return error.Reason;
    }

    [Fact]
    public void AcceptsACorrectlySignedDeliveryAndReadsItsEvent()
    {
        var timestamp = Seconds(Now - 2);

        var webhook = Verifier().Verify(Body, timestamp, Sign(Body, timestamp));

        Assert.Equal("evt_Q2hH3kVb0aX7LmNpRsTuVwXyZ", webhook.Id);
        Assert.Equal(WebhookEventTypes.PayIn, webhook.Type);
        Assert.Equal(new DateTimeOffset(2026, 6, 26, 9, 59, 1, 123, 456, TimeSpan.Zero), webhook.CreatedAt);
        Assert.Equal("payment_received", webhook.Data.GetProperty("status").GetString());
        Assert.Equal("LUCÍA GARCÍA", webhook.Data.GetProperty("holder").GetProperty("name").GetString());
    }

    [Fact]
    public void TryVerifyHandsOverTheEventOfAnAcceptedDelivery()
    {
        var timestamp = Seconds(Now);

        Assert.True(Verifier().TryVerify(Body, timestamp, Sign(Body, timestamp), out var webhook));

        Assert.Equal("evt_Q2hH3kVb0aX7LmNpRsTuVwXyZ", webhook.Id);
        Assert.Equal(10000, webhook.Data.GetProperty("fiat_amount").GetInt32());
    }

    [Fact]
    public void AcceptsAnUppercaseHexSignature()
    {
        var timestamp = Seconds(Now);

        var webhook = Verifier().Verify(Body, timestamp, Sign(Body, timestamp).ToUpperInvariant());

        Assert.Equal(WebhookEventTypes.PayIn, webhook.Type);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(-1)]
    public void RefusesATamperedBody(int index)
    {
        var timestamp = Seconds(Now);
        var signature = Sign(Body, timestamp);
        var tampered = (byte[])Body.Clone();
        var at = index < 0 ? tampered.Length - 1 : index;
        tampered[at] ^= 0x01;

        Assert.Equal(WebhookVerificationFailure.BadSignature, Refusal(Verifier(), tampered, timestamp, signature));
    }

    [Fact]
    public void RefusesABodyReencodedBeforeVerifying()
    {
        var timestamp = Seconds(Now);
        var signature = Sign(Body, timestamp);
        using var parsed = JsonDocument.Parse(Body);
        var reencoded = JsonSerializer.SerializeToUtf8Bytes(parsed.RootElement);

        Assert.Equal(WebhookVerificationFailure.BadSignature, Refusal(Verifier(), reencoded, timestamp, signature));
    }

    [Fact]
    public void RefusesASignatureMadeWithAnotherSecret()
    {
        var timestamp = Seconds(Now);

        Assert.Equal(WebhookVerificationFailure.BadSignature, Refusal(Verifier(), Body, timestamp, Sign(Body, timestamp, "whsec-integration-2")));
    }

    [Fact]
    public void RefusesASignatureOfAnotherTimestamp()
    {
        // Both moments are within the window: only the signature binds the timestamp to the body.
        var signature = Sign(Body, Seconds(Now - 10));

        Assert.Equal(WebhookVerificationFailure.BadSignature, Refusal(Verifier(), Body, Seconds(Now), signature));
    }

    [Fact]
    public void RefusesASignatureOfTheBodyAlone()
    {
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Body));

        Assert.Equal(WebhookVerificationFailure.BadSignature, Refusal(Verifier(), Body, Seconds(Now), signature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0123456789abcdef")]
    [InlineData("zz")]
    public void RefusesASignatureThatIsNoDigest(string suffix)
    {
        var timestamp = Seconds(Now);
        var signature = Sign(Body, timestamp)[..^2] + suffix;

        Assert.Equal(WebhookVerificationFailure.BadSignature, Refusal(Verifier(), Body, timestamp, signature));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void RefusesATimestampOutsideTheFiveMinutes(long offsetSeconds)
    {
        var timestamp = Seconds(Now + offsetSeconds);

        Assert.Equal(WebhookVerificationFailure.TimestampOutsideTolerance, Refusal(Verifier(), Body, timestamp, Sign(Body, timestamp)));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void AcceptsATimestampAtTheEdgeOfTheFiveMinutes(long offsetSeconds)
    {
        var timestamp = Seconds(Now + offsetSeconds);

        Assert.Equal("evt_Q2hH3kVb0aX7LmNpRsTuVwXyZ", Verifier().Verify(Body, timestamp, Sign(Body, timestamp)).Id);
    }

    [Fact]
    public void FollowsTheClockItIsGiven()
    {
        var clock = new ManualTimeProvider(FakeApi.Start);
        var verifier = new WebhookVerifier(Secret, clock);
        var timestamp = Seconds(Now);
        var signature = Sign(Body, timestamp);
        verifier.Verify(Body, timestamp, signature);

        clock.Advance(TimeSpan.FromSeconds(301));

        Assert.Equal(WebhookVerificationFailure.TimestampOutsideTolerance, Refusal(verifier, Body, timestamp, signature));
    }

    [Fact]
    public void AppliesAToleranceOfItsOwn()
    {
        var verifier = Verifier(TimeSpan.FromSeconds(30));
        var inside = Seconds(Now - 30);
        var outside = Seconds(Now - 31);

        Assert.Equal(TimeSpan.FromSeconds(30), verifier.Tolerance);
        verifier.Verify(Body, inside, Sign(Body, inside));
        Assert.Equal(WebhookVerificationFailure.TimestampOutsideTolerance, Refusal(verifier, Body, outside, Sign(Body, outside)));
    }

    [Fact]
    public void CallsAStaleForgeryABadSignature()
    {
        var timestamp = Seconds(Now - 3_600);

        Assert.Equal(WebhookVerificationFailure.BadSignature, Refusal(Verifier(), Body, timestamp, Sign(Body, timestamp, "guessed")));
    }

    [Theory]
    [InlineData(null, "sig")]
    [InlineData("ts", null)]
    [InlineData(null, null)]
    [InlineData("", "sig")]
    [InlineData("ts", "")]
    [InlineData("1782468000.5", "sig")]
    [InlineData("-1782468000", "sig")]
    [InlineData(" 1782468000", "sig")]
    [InlineData("2026-06-26T10:00:00Z", "sig")]
    [InlineData("99999999999999999", "sig")]
    [InlineData("99999999999999999999999", "sig")]
    public void RefusesMissingOrUnreadableHeaders(string? timestamp, string? signature)
    {
        // "ts" and "sig" stand for a correct header.
        var realTimestamp = Seconds(Now);
        var headerTimestamp = timestamp == "ts" ? realTimestamp : timestamp;
        var headerSignature = signature == "sig" ? Sign(Body, headerTimestamp ?? realTimestamp) : signature;

        Assert.Equal(WebhookVerificationFailure.MissingHeader, Refusal(Verifier(), Body, headerTimestamp, headerSignature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    [InlineData("""{"id":"evt_1","type":"PAY_IN","created_at":"2026-06-26T09:59:01.123456Z"}""")]
    [InlineData("""{"id":"","type":"PAY_IN","created_at":"2026-06-26T09:59:01.123456Z","data":{}}""")]
    [InlineData("""{"id":"evt_1","created_at":"2026-06-26T09:59:01.123456Z","data":{}}""")]
    [InlineData("""{"id":"evt_1","type":"PAY_IN","created_at":"yesterday","data":{}}""")]
    [InlineData("""{"id":"evt_1","type":"PAY_IN","created_at":12,"data":{}}""")]
    [InlineData("""{"id":7,"type":"PAY_IN","created_at":"2026-06-26T09:59:01.123456Z","data":{}}""")]
    [InlineData("""{"id":"evt_1","type":"PAY_IN","created_at":"2026-06-26T09:59:01.123456Z","data":{}""")]
    public void RefusesAnAuthenticBodyThatIsNoEvent(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = Seconds(Now);

        Assert.Equal(WebhookVerificationFailure.MalformedBody, Refusal(Verifier(), body, timestamp, Sign(body, timestamp)));
    }

    [Fact]
    public void NamesTheReasonInTheException()
    {
        var error = Assert.Throws<WebhookVerificationException>(() => Verifier().Verify(Body, Seconds(Now), signature: null));

        Assert.Equal(WebhookVerificationFailure.MissingHeader, error.Reason);
        Assert.Contains("X-Signature", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void RequiresASecret(string secret) =>
        Assert.ThrowsAny<ArgumentException>(() => new WebhookVerifier(secret));

    [Fact]
    public void RefusesANegativeTolerance() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookVerifier(Secret, tolerance: TimeSpan.FromSeconds(-1)));
}
