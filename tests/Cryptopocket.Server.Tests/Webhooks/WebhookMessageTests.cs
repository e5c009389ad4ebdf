using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Webhooks;

namespace Cryptopocket.Server.Tests.Webhooks;

/// <summary>
/// The delivered body is written by hand for speed (the payload copied in, not parsed and written again); it must stay
/// byte for byte what the contract's <see cref="WebhookEvent"/> serializes to, or receivers and the SDK drift apart.
/// </summary>
public sealed class WebhookMessageTests
{
    [Fact]
    public void TheBodyIsTheContractsEnvelopeByteForByte()
    {
        var payload = new JsonObject
        {
            ["id"] = "sRsVSRr77NDkYJEFXHICmi7Hx", ["status"] = "coins_sent", ["fiat_amount"] = 10050, ["holder"] = new JsonObject { ["name"] = "Lucía <&> \"Pérez\"" },
            ["txid"] = null, ["fees"] = new JsonArray(1.25m, "0.10"),
        }.ToJsonString(CryptopocketJson.Options);
        var occurredAt = new DateTime(2026, 11, 22, 6, 19, 3, 123, 456, DateTimeKind.Utc);
        var outboxEvent = new OutboxEvent { Id = "evt_1", Type = EventTypes.CoinsSent, ResourceId = "r", Payload = payload, OccurredAt = occurredAt };

        var body = WebhookMessage.Body(outboxEvent);

        using var data = JsonDocument.Parse(payload);
        var expected = JsonSerializer.SerializeToUtf8Bytes(new WebhookEvent("evt_1", EventTypes.CoinsSent, new DateTimeOffset(occurredAt), data.RootElement),
            CryptopocketJson.Options.GetTypeInfo(typeof(WebhookEvent)));
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void TheRequestCarriesASignatureThatVerifiesOverTheBody()
    {
        var outboxEvent = new OutboxEvent { Id = "evt_2", Type = EventTypes.PayIn, ResourceId = "r", Payload = """{"id":"p"}""", OccurredAt = DateTime.UtcNow };
        var body = WebhookMessage.Body(outboxEvent);
        var now = DateTimeOffset.UtcNow;

        using var request = WebhookMessage.Request(new Uri("http://127.0.0.1/hook"), body, "pk_key", "sk_secret", outboxEvent, now.ToUnixTimeSeconds());

        string Header(string name) => Assert.Single(request.Headers.GetValues(name));
        Assert.True(WebhookSignature.Verify(body, Header(WebhookSignature.TimestampHeader), Header(WebhookSignature.SignatureHeader), "sk_secret", now));
        Assert.False(WebhookSignature.Verify(body, Header(WebhookSignature.TimestampHeader), Header(WebhookSignature.SignatureHeader), "sk_other", now));
        Assert.Equal("evt_2", Header(WebhookSignature.EventIdHeader));
        Assert.Equal(EventTypes.PayIn, Header(WebhookSignature.EventTypeHeader));
        Assert.Equal("pk_key", Header(WebhookSignature.ApiKeyHeader));
        Assert.Equal("application/json", request.Content!.Headers.ContentType?.MediaType);
    }
}
