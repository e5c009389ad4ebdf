using System.Net;
using System.Text.Json;
using Cryptopocket.Client.Tests.Infrastructure;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client.Tests;

public sealed class WebhookClientTests
{
    private static readonly Uri ReceiverUrl = new("https://partner.example/hooks/cp?env=live&v=2");

    private const string Deliveries = """
        [{"id":42,"event_id":"evt_A","event_type":"PAY_IN","url":"https://partner.example/hooks/cp","status":"failed","attempts":2,
          "last_status_code":503,"created_at":"2026-06-26T09:00:00.000000Z","delivered_at":null,"next_attempt_at":null,
          "attempt_log":[
            {"attempted_at":"2026-06-26T09:00:00.250000Z","status_code":503,"latency_ms":120,"response_snippet":"Service Unavailable","error":null},
            {"attempted_at":"2026-06-26T09:00:10.500000Z","status_code":null,"latency_ms":10000,"response_snippet":null,"error":"timeout"}]},
         {"id":41,"event_id":"evt_B","event_type":"WEBHOOK_TEST","url":"http://localhost:5005/hook","status":"pending","attempts":0,
          "last_status_code":null,"created_at":"2026-06-26T08:59:00.000000Z","delivered_at":null,"next_attempt_at":"2026-06-26T09:01:00.000000Z",
          "attempt_log":[]},
         {"id":40,"event_id":"evt_C","event_type":"COINS_SENT","url":"https://partner.example/hooks/cp","status":"delivered","attempts":1,
          "last_status_code":200,"created_at":"2026-06-26T08:58:00.000000Z","delivered_at":"2026-06-26T08:58:00.900000Z","next_attempt_at":null,
          "attempt_log":[{"attempted_at":"2026-06-26T08:58:00.800000Z","status_code":200,"latency_ms":95,"response_snippet":"ok","error":null}]}]
        """;

    private static DateTimeOffset At(int hour, int minute, int second, int millisecond = 0) =>
        new(2026, 6, 26, hour, minute, second, millisecond, TimeSpan.Zero);

    [Fact]
    public async Task SubscribesWithAFormEncodedTypeAndUrl()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok("\"subscription_created\""));
        using var client = api.CreateClient();

        await client.SubscribeToWebhookAsync(WebhookEventTypes.PayIn, ReceiverUrl);

        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal("/api/subscribeToWebhook", call.Path);
        Assert.Equal("token-1", call.Auth);
        Assert.StartsWith("application/x-www-form-urlencoded", call.ContentType, StringComparison.Ordinal);
        Assert.Equal("type=PAY_IN&url=https%3A%2F%2Fpartner.example%2Fhooks%2Fcp%3Fenv%3Dlive%26v%3D2", call.Body);
    }

    [Fact]
    public async Task UpdatesASubscriptionWithAFormEncodedTypeAndUrl()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok("\"subscription_updated\""));
        using var client = api.CreateClient();

        await client.UpdateWebhookSubscriptionAsync(WebhookEventTypes.RampoffFinished, new Uri("https://partner.example/new"));

        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal("/api/updateWebhookSubscription", call.Path);
        Assert.Equal("token-1", call.Auth);
        Assert.StartsWith("application/x-www-form-urlencoded", call.ContentType, StringComparison.Ordinal);
        Assert.Equal("type=RAMPOFF_FINISHED&url=https%3A%2F%2Fpartner.example%2Fnew", call.Body);
    }

    [Fact]
    public async Task SendsTheSameFormAgainAfterAReauthentication()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(request.Auth == "token-1"
            ? Respond.Error(ErrorCodes.AuthorizationIncorrect)
            : Respond.Ok("\"subscription_created\""));
        using var client = api.CreateClient();

        await client.SubscribeToWebhookAsync(WebhookEventTypes.CoinsSent, ReceiverUrl);

        Assert.Equal(["token-1", "token-2"], api.Calls.Select(c => c.Auth));
        Assert.Equal(api.Calls[0].Body, api.Calls[1].Body);
        Assert.StartsWith("type=COINS_SENT&url=", api.Calls[1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, WebhooksErrors.AlreadySubscribed)]
    [InlineData(true, WebhooksErrors.SubscriptionNotFound)]
    public async Task MapsTheSubscriptionErrors(bool update, string code)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json($$"""{"status":"error","error":"{{code}}","message":"PAY_IN: see the docs."}"""));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => update
            ? client.UpdateWebhookSubscriptionAsync(WebhookEventTypes.PayIn, ReceiverUrl)
            : client.SubscribeToWebhookAsync(WebhookEventTypes.PayIn, ReceiverUrl));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(200, error.HttpStatus);
        Assert.Equal("PAY_IN: see the docs.", error.Message);
    }

    [Fact]
    public async Task MapsARefusedTypeOrUrlToAValidationFailure()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(
            """{"message":"The url field must be a valid URL.","errors":{"url":["The url field must be a valid URL."]}}""",
            HttpStatusCode.UnprocessableEntity));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.SubscribeToWebhookAsync("PAY_IN", ReceiverUrl));

        Assert.Equal(CryptopocketException.ValidationFailed, error.ErrorCode);
        Assert.Equal(["The url field must be a valid URL."], error.ValidationErrors["url"]);
    }

    [Fact]
    public async Task MapsASubscriptionAnswerWithoutDataToUnexpectedResponse()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json("""{"status":"ok"}"""));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.SubscribeToWebhookAsync("PAY_IN", ReceiverUrl));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task RefusesARelativeUrlOrNoTypeWithoutCalling()
    {
        using var api = new FakeApi();
        using var client = api.CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeToWebhookAsync("PAY_IN", new Uri("/hooks", UriKind.Relative)));
        await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateWebhookSubscriptionAsync(" ", ReceiverUrl));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.SubscribeToWebhookAsync("PAY_IN", null!));

        Assert.Empty(api.Handler.Requests);
    }

    [Fact]
    public async Task ReadsTheDeliveryLogWithItsAttempts()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Deliveries));
        using var client = api.CreateClient();

        var deliveries = await client.ListWebhookDeliveriesAsync();

        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Get, call.Method);
        Assert.Equal("/api/webhooks/deliveries", call.Path);
        Assert.Equal("", call.Uri.Query);
        Assert.Equal("token-1", call.Auth);
        Assert.Equal(3, deliveries.Count);

        var failed = deliveries[0];
        Assert.Equal(42, failed.Id);
        Assert.Equal("evt_A", failed.EventId);
        Assert.Equal(WebhookEventTypes.PayIn, failed.EventType);
        Assert.Equal(new Uri("https://partner.example/hooks/cp"), failed.Url);
        Assert.Equal(WebhookDeliveryStatus.Failed, failed.Status);
        Assert.Equal(2, failed.Attempts);
        Assert.Equal(503, failed.LastStatusCode);
        Assert.Equal(At(9, 0, 0), failed.CreatedAt);
        Assert.Null(failed.DeliveredAt);
        Assert.Null(failed.NextAttemptAt);
        Assert.Equal(
            [
                new WebhookDeliveryAttempt(At(9, 0, 0, 250), 503, 120, "Service Unavailable", Error: null),
                new WebhookDeliveryAttempt(At(9, 0, 10, 500), StatusCode: null, 10000, ResponseSnippet: null, "timeout"),
            ],
            failed.AttemptLog);

        var pending = deliveries[1];
        Assert.Equal(WebhookDeliveryStatus.Pending, pending.Status);
        Assert.Equal(WebhookEventTypes.WebhookTest, pending.EventType);
        Assert.Null(pending.LastStatusCode);
        Assert.Equal(At(9, 1, 0), pending.NextAttemptAt);
        Assert.Empty(pending.AttemptLog);

        var delivered = deliveries[2];
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivered.Status);
        Assert.Equal(At(8, 58, 0, 900), delivered.DeliveredAt);
        Assert.Equal(200, Assert.Single(delivered.AttemptLog).StatusCode);
    }

    [Fact]
    public async Task FiltersTheDeliveryLog()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok("[]"));
        using var client = api.CreateClient();

        var deliveries = await client.ListWebhookDeliveriesAsync(
            new WebhookDeliveryListOptions { Status = WebhookDeliveryStatus.Failed, Type = WebhookEventTypes.KycStatusChanged, Limit = 5 });

        Assert.Empty(deliveries);
        Assert.Equal("?status=failed&type=KYC_STATUS_CHANGED&limit=5", Assert.Single(api.Calls).Uri.Query);
    }

    [Fact]
    public async Task RefusesToFilterOnAnUnknownDeliveryStatus()
    {
        using var api = new FakeApi();
        using var client = api.CreateClient();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            client.ListWebhookDeliveriesAsync(new WebhookDeliveryListOptions { Status = WebhookDeliveryStatus.Unknown }));

        Assert.Empty(api.Handler.Requests);
    }

    [Fact]
    public async Task TreatsAnUnknownDeliveryStatusAsUnknown()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Deliveries.Replace("\"status\":\"failed\"", "\"status\":\"abandoned\"", StringComparison.Ordinal)));
        using var client = api.CreateClient();

        var deliveries = await client.ListWebhookDeliveriesAsync();

        Assert.Equal(WebhookDeliveryStatus.Unknown, deliveries[0].Status);
    }

    [Theory]
    [InlineData("\"url\":\"https://partner.example/hooks/cp\",", "")]
    [InlineData("\"url\":\"https://partner.example/hooks/cp\"", "\"url\":\"hooks/cp\"")]
    [InlineData("\"event_id\":\"evt_A\",", "")]
    [InlineData("\"attempt_log\":[]", "\"attempt_log\":null")]
    [InlineData("\"attempts\":2", "\"attempts\":\"2\"")]
    public async Task MapsADeliveryThatBreaksTheContractToUnexpectedResponse(string field, string replacement)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Deliveries.Replace(field, replacement, StringComparison.Ordinal)));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.ListWebhookDeliveriesAsync());

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task RedeliversOneDelivery()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok("\"redelivery_scheduled\""));
        using var client = api.CreateClient();

        await client.RedeliverWebhookAsync(9_007_199_254_740_993);

        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal("/api/webhooks/deliveries/9007199254740993/redeliver", call.Path);
        Assert.Equal("token-1", call.Auth);
    }

    [Fact]
    public async Task MapsAnUnknownDeliveryToItsError()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error(WebhooksErrors.DeliveryNotFound));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.RedeliverWebhookAsync(7));

        Assert.Equal(WebhooksErrors.DeliveryNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task RedeliversARangeAsUtcJsonTimestamps()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok("""{"redelivery_scheduled":12}"""));
        using var client = api.CreateClient();

        var scheduled = await client.RedeliverWebhooksAsync(
            new DateTimeOffset(2026, 6, 26, 10, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 6, 26, 9, 30, 0, 500, TimeSpan.Zero));

        Assert.Equal(12, scheduled);
        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal("/api/webhooks/redeliver", call.Path);
        Assert.Equal("token-1", call.Auth);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        Assert.Equal("""{"from":"2026-06-26T08:00:00.000000Z","to":"2026-06-26T09:30:00.500000Z"}""", call.Body);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"redelivery_scheduled":"12"}""")]
    [InlineData("\"redelivery_scheduled\"")]
    public async Task MapsARangeAnswerThatBreaksTheContractToUnexpectedResponse(string data)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(data));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.RedeliverWebhooksAsync(FakeApi.Start.AddHours(-1), FakeApi.Start));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task SendsATestEventAndReturnsItsId()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok("""{"event_id":"evt_T3st"}"""));
        using var client = api.CreateClient();

        var eventId = await client.SendTestWebhookAsync(WebhookEventTypes.PayIn);

        Assert.Equal("evt_T3st", eventId);
        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal("/api/webhooks/test", call.Path);
        Assert.Equal("token-1", call.Auth);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal("PAY_IN", body.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task MapsATestForATypeWithoutSubscriptionToItsError()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error(WebhooksErrors.SubscriptionNotFound));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.SendTestWebhookAsync(WebhookEventTypes.KycStatusChanged));

        Assert.Equal(WebhooksErrors.SubscriptionNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task MapsATestAnswerWithoutEventIdToUnexpectedResponse()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok("{}"));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.SendTestWebhookAsync(WebhookEventTypes.PayIn));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    /// <summary>The server's codes (WebhooksApi), spelled out here as a partner reads them in the docs.</summary>
    private static class WebhooksErrors
    {
        public const string AlreadySubscribed = "subscription_already_exists";
        public const string SubscriptionNotFound = "subscription_not_found";
        public const string DeliveryNotFound = "delivery_not_found";
    }
}
