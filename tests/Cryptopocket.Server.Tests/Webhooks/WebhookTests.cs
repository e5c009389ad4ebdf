using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Webhooks;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cryptopocket.Server.Tests.Webhooks;

/// <summary>A server with a fast retry schedule so "down for a while" takes seconds, not days.</summary>
public sealed class FastRetryServer : ServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => base.Overrides.Concat(
        Enumerable.Range(0, 5).Select(i => new KeyValuePair<string, string?>($"Webhooks:RetrySchedule:{i}", "00:00:00.300")));
}

/// <summary>Wire reference §8: subscriptions, signed events (checked with independent HMAC code, <see cref="WebhookReceiver.Received.IsSignedWith"/>), durable delivery.</summary>
public sealed class WebhookTests(FastRetryServer server) : IClassFixture<FastRetryServer>
{
    private static async Task<JsonElement> FormAsync(HttpClient http, string path, string type, string url)
    {
        var response = await http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = type, ["url"] = url }));
        return await response.JsonAsync();
    }

    [Fact]
    public async Task SubscribingAndUpdatingAnswerAsDocumentedAndRefuseWhatTheDocsLeaveOut()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var created = await FormAsync(http, "/api/subscribeToWebhook", "COINS_SENT", "https://demo.com/hook");
        var again = await FormAsync(http, "/api/subscribeToWebhook", "COINS_SENT", "https://demo.com/other");
        var updated = await FormAsync(http, "/api/updateWebhookSubscription", "COINS_SENT", "https://demo.com/new");
        var missing = await FormAsync(http, "/api/updateWebhookSubscription", "PAY_IN", "https://demo.com/new");
        var alias = await FormAsync(http, "/api/subscribeToWebhook", "RAMPOFF_FINISHED", "https://demo.com/rampoff");
        var aliasAgain = await FormAsync(http, "/api/subscribeToWebhook", "TRANSFER_RAMPOFF_FINISHED", "https://demo.com/rampoff");

        Assert.Equal("""{"status":"ok","data":"subscription_created"}""", created.GetRawText());
        Assert.Equal("subscription_already_exists", again.GetProperty("error").GetString());
        Assert.Equal("""{"status":"ok","data":"subscription_updated"}""", updated.GetRawText());
        Assert.Equal("subscription_not_found", missing.GetProperty("error").GetString());
        Assert.Equal("subscription_created", alias.GetProperty("data").GetString());
        Assert.Equal("subscription_already_exists", aliasAgain.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("NOT_A_TYPE", "https://demo.com", "type")]
    [InlineData("", "https://demo.com", "type")]
    [InlineData("PAY_IN", "not a url", "url")]
    [InlineData("PAY_IN", "ftp://demo.com", "url")]
    [InlineData("PAY_IN", "https://user:pass@demo.com", "url")]
    public async Task MalformedSubscriptionsAreA422(string type, string url, string field)
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var response = await http.PostAsync("/api/subscribeToWebhook", new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = type, ["url"] = url }));

        await response.AssertValidationErrorAsync(field);
    }

    [Fact]
    public async Task EventsArriveSignedAsDocumentedAndOnlyToTheirIntegration()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var kit = await PurchaseKit.CreateAsync(server);
        var other = await PurchaseKit.CreateAsync(server);
        foreach (var type in new[] { "PAY_IN", "PAYMENT_FAILED", "KYC_STATUS_CHANGED" })
        {
            Assert.Equal("ok", (await FormAsync(kit.Http, "/api/subscribeToWebhook", type, new Uri(receiver.BaseAddress, "/mine").ToString())).GetProperty("status").GetString());
            Assert.Equal("ok", (await FormAsync(other.Http, "/api/subscribeToWebhook", type, new Uri(receiver.BaseAddress, "/other").ToString())).GetProperty("status").GetString());
        }

        var user = await kit.ApprovedCustomerAsync();                     // KYC_STATUS_CHANGED
        var paid = await kit.CreateAsync(PurchaseKit.CardBody(user, 20m));
        var declined = await kit.CreateAsync(PurchaseKit.CardBody(user, 21m));
        using var browser = new FormClient(server.BaseAddress);
        var card = new Dictionary<string, string> { ["expiry"] = "12/39", ["cvc"] = "123", ["holder"] = "L" };
        await browser.SubmitAsync($"/payment/{paid}/card", $"/payment/{paid}/card", new(card) { ["number"] = "4242424242424242" });        // PAY_IN
        await browser.SubmitAsync($"/payment/{declined}/card", $"/payment/{declined}/card", new(card) { ["number"] = "4000000000000002" }); // PAYMENT_FAILED

        var mine = await receiver.WaitForAsync(r => r.Path == "/mine", 3);
        foreach (var request in mine)
        {
            Assert.True(request.IsSignedWith(kit.Credentials.ApiSecret), "signature does not verify");
            Assert.Equal(kit.Credentials.ApiKey, request.Headers["X-API-Key"]);
            Assert.InRange(long.Parse(request.Headers["X-Timestamp"], CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
            var body = JsonDocument.Parse(request.Body).RootElement;
            Assert.Equal(request.Headers["X-Event-Id"], body.GetProperty("id").GetString());
            Assert.Equal(request.Headers["X-Event-Type"], body.GetProperty("type").GetString());
        }
        // One subscription per type: order is kept within a subscription, not across them.
        var types = mine.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["KYC_STATUS_CHANGED", "PAYMENT_FAILED", "PAY_IN"], types);
        var payIn = JsonDocument.Parse(mine.Single(r => r.Headers["X-Event-Type"] == "PAY_IN").Body).RootElement.GetProperty("data");
        Assert.Equal(paid, payIn.GetProperty("id").GetString());
        Assert.Equal("payment_received", payIn.GetProperty("status").GetString());
        Assert.Equal(2000, payIn.GetProperty("fiat_amount").GetInt64());
        Assert.DoesNotContain(receiver.Requests, r => r.Path == "/other");
    }

    /// <summary>
    /// Each resource's events arrived in the order they were made, each only after the one before it was answered;
    /// <paramref name="made"/> is every event id, in order, with its resource.
    /// </summary>
    private static void AssertInOrderPerResource(IReadOnlyList<(string EventId, string Resource)> made, IReadOnlyList<WebhookReceiver.Received> received)
    {
        var byId = received.ToDictionary(r => r.Headers["X-Event-Id"]);
        Assert.Equal(made.Count, received.Count);
        foreach (var resource in made.GroupBy(m => m.Resource))
        {
            var requests = resource.Select(m => byId[m.EventId]).ToList();
            for (var i = 1; i < requests.Count; i++)
            {
                Assert.True(requests[i].Arrived >= requests[i - 1].Answered, $"{resource.Key}: event {i} was sent before event {i - 1} was answered");
            }
        }
    }

    [Fact]
    public async Task SeveralDispatchersRacingDeliverEveryEventOnceAndEachResourcesInOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var kit = await PurchaseKit.CreateAsync(server);
        await FormAsync(kit.Http, "/api/subscribeToWebhook", "KYC_STATUS_CHANGED", receiver.BaseAddress.ToString());
        const int count = 150;
        var made = await server.QueryAsync(async db =>
        {
            var added = Enumerable.Range(0, count)
                .Select(i => Outbox.Add(db, kit.Credentials.Id, EventTypes.KycStatusChanged, $"race-{i % 5}", $"{{\"n\":{i}}}", DateTime.UtcNow)).ToList();
            await db.SaveChangesAsync();
            return added.Select(e => (e.Id, e.ResourceId)).ToList();
        });

        // The hosted dispatcher and three more, as if four instances shared the database.
        var extra = Enumerable.Range(0, 3).Select(_ => ActivatorUtilities.CreateInstance<WebhookDispatcher>(server.Services)).ToList();
        var racing = extra.Select(d => Task.Run(async () =>
        {
            for (var round = 0; round < 20 && receiver.Requests.Count < count; round++)
            {
                await d.FanOutAsync(CancellationToken.None);
                await d.DeliverDueAsync(CancellationToken.None);
            }
        }));
        await Task.WhenAll(racing);
        var received = await receiver.WaitForAsync(_ => true, count, TimeSpan.FromSeconds(30));

        AssertInOrderPerResource(made, received);
    }

    [Fact]
    public async Task ASubscriptionsEventsOfDifferentResourcesAreSentTogetherButOneResourcesOneAfterAnother()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(100);
        var kit = await PurchaseKit.CreateAsync(server);
        await FormAsync(kit.Http, "/api/subscribeToWebhook", "KYC_STATUS_CHANGED", receiver.BaseAddress.ToString());
        // Three events for each of six customers, made round-robin (r0, r1, … r5, r0, r1, …): fewer customers than a
        // window holds, so a window must stop before a customer's second event.
        var made = await server.QueryAsync(async db =>
        {
            var added = Enumerable.Range(0, 18)
                .Select(i => Outbox.Add(db, kit.Credentials.Id, EventTypes.KycStatusChanged, $"window-{i % 6}", $"{{\"n\":{i}}}", DateTime.UtcNow)).ToList();
            await db.SaveChangesAsync();
            return added.Select(e => (e.Id, e.ResourceId)).ToList();
        });

        var received = await receiver.WaitForAsync(_ => true, 18, TimeSpan.FromSeconds(30));

        AssertInOrderPerResource(made, received);
        Assert.InRange(receiver.MaxInFlight, 2, new WebhookOptions().InFlightPerSubscription);
    }

    [Theory]
    [InlineData(new[] { "a", "b", "c", "d" }, 0, 8, 4)]
    [InlineData(new[] { "a", "b", "c", "d" }, 0, 3, 3)]
    [InlineData(new[] { "a", "b", "a", "c" }, 0, 8, 2)]
    [InlineData(new[] { "a", "b", "a", "c" }, 2, 8, 2)]
    [InlineData(new[] { "a", "a", "a" }, 0, 8, 1)]
    [InlineData(new[] { "a", "b", "c" }, 0, 1, 1)]
    [InlineData(new[] { "a", "b", "c" }, 0, 0, 1)]
    [InlineData(new[] { "a", "b", "c" }, 3, 8, 0)]
    public void AWindowTakesTheNextDeliveriesUpToTheSizeAndStopsBeforeAResourceItAlreadyHas(string[] resources, int start, int size, int expected)
    {
        Assert.Equal(expected, WebhookRunner.WindowLength(resources, start, size));
    }

    [Fact]
    public async Task AReceiverThatWasDownGetsEverythingAfterwardsInOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var kit = await PurchaseKit.CreateAsync(server);
        await FormAsync(kit.Http, "/api/subscribeToWebhook", "KYC_STATUS_CHANGED", receiver.BaseAddress.ToString());
        receiver.FailNext(3);
        var user = await kit.RegisterAsync();

        // Five decisions in a row: the first attempts meet a receiver that is down.
        for (var i = 0; i < 5; i++)
        {
            await server.WithServiceAsync<Customer, CustomerKycService>(s => s.DecideAsync(user, i % 2 == 0, $"decision {i}", CancellationToken.None));
        }

        var received = await receiver.WaitForAsync(_ => true, 5, TimeSpan.FromSeconds(30));
        var reasons = received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").TryGetProperty("reason", out var reason) ? reason.GetString() : "approved").ToList();
        Assert.Equal(["approved", "decision 1", "approved", "decision 3", "approved"], reasons);
        var log = await (await kit.Http.GetAsync("/api/webhooks/deliveries")).JsonAsync();
        var first = log.GetProperty("data").EnumerateArray().Last();
        Assert.True(first.GetProperty("attempts").GetInt32() >= 2);
        Assert.Equal(503, first.GetProperty("attempt_log")[0].GetProperty("status_code").GetInt32());
        Assert.Equal("down for maintenance", first.GetProperty("attempt_log")[0].GetProperty("response_snippet").GetString());
    }

    [Fact]
    public async Task RedeliveryAndTheTestEventReachTheReceiverAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var kit = await PurchaseKit.CreateAsync(server);
        var stranger = await PurchaseKit.CreateAsync(server);
        await FormAsync(kit.Http, "/api/subscribeToWebhook", "KYC_STATUS_CHANGED", receiver.BaseAddress.ToString());
        await kit.ApprovedCustomerAsync();
        await receiver.WaitForAsync(_ => true, 1);
        var deliveryId = (await (await kit.Http.GetAsync("/api/webhooks/deliveries")).JsonAsync()).GetProperty("data")[0].GetProperty("id").GetInt64();

        var redeliver = await (await kit.Http.PostAsync($"/api/webhooks/deliveries/{deliveryId}/redeliver", null)).JsonAsync();
        var foreign = await (await stranger.Http.PostAsync($"/api/webhooks/deliveries/{deliveryId}/redeliver", null)).JsonAsync();
        var test = await (await kit.Http.PostAsJsonAsync("/api/webhooks/test", new { type = "KYC_STATUS_CHANGED" })).JsonAsync();

        Assert.Equal("redelivery_scheduled", redeliver.GetProperty("data").GetString());
        Assert.Equal("delivery_not_found", foreign.GetProperty("error").GetString());
        var all = await receiver.WaitForAsync(_ => true, 3);
        Assert.Equal(2, all.Count(r => r.Headers["X-Event-Type"] == "KYC_STATUS_CHANGED"));
        Assert.Single(all, r => r.Headers["X-Event-Type"] == "WEBHOOK_TEST" && r.Headers["X-Event-Id"] == test.GetProperty("data").GetProperty("event_id").GetString());
        Assert.All(all, r => Assert.True(r.IsSignedWith(kit.Credentials.ApiSecret)));
    }

    [Fact]
    public async Task ProductionRefusesPlainHttpAndPrivateAddresses()
    {
        Assert.NotNull(Features.Webhooks.WebhookUrlPolicy.Check(new Uri("http://demo.com/hook"), sandbox: false));
        Assert.NotNull(Features.Webhooks.WebhookUrlPolicy.Check(new Uri("https://127.0.0.1/hook"), sandbox: false));
        Assert.NotNull(Features.Webhooks.WebhookUrlPolicy.Check(new Uri("https://10.1.2.3/hook"), sandbox: false));
        Assert.NotNull(Features.Webhooks.WebhookUrlPolicy.Check(new Uri("https://169.254.169.254/latest/meta-data"), sandbox: false));
        Assert.NotNull(Features.Webhooks.WebhookUrlPolicy.Check(new Uri("https://[::1]/hook"), sandbox: false));
        Assert.Null(Features.Webhooks.WebhookUrlPolicy.Check(new Uri("https://demo.com/hook"), sandbox: false));
        Assert.Null(Features.Webhooks.WebhookUrlPolicy.Check(new Uri("http://127.0.0.1:9000/hook"), sandbox: true));
        await Task.CompletedTask;
    }
}

/// <summary>A server whose dispatcher never polls on its own (an hour between looks): only the commit signal can wake it.</summary>
public sealed class NoPollServer : ServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => base.Overrides.Append(new("Webhooks:IdlePoll", "01:00:00"));
}

public sealed class WebhookWakeUpTests(NoPollServer server) : IClassFixture<NoPollServer>
{
    [Fact]
    public async Task ACommittedEventWakesTheDispatcherWithoutPolling()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var kit = await PurchaseKit.CreateAsync(server);
        await kit.Http.PostAsync("/api/subscribeToWebhook", new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = "KYC_STATUS_CHANGED", ["url"] = receiver.BaseAddress.ToString() }));
        var user = await kit.RegisterAsync();

        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.DecideAsync(user, true, null, CancellationToken.None));

        // With polling an hour apart, the event can only arrive because the commit signalled the dispatcher.
        var received = Assert.Single(await receiver.WaitForAsync(_ => true, 1));
        Assert.Equal("KYC_STATUS_CHANGED", received.Headers["X-Event-Type"]);
    }

    [PostgresFact("LISTEN/NOTIFY; on SQLite the dispatcher polls.")]
    public async Task OnPostgresACommitFromAnotherProcessWakesTheDispatcherWithoutPolling()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var kit = await PurchaseKit.CreateAsync(server);
        await kit.Http.PostAsync("/api/subscribeToWebhook", new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = "KYC_STATUS_CHANGED", ["url"] = receiver.BaseAddress.ToString() }));

        // Another process, as the command line is: its own context and signal, and no dispatcher beside them.
        using var otherSignal = new WebhookSignal();
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(server.Options.ConnectionString).AddInterceptors(new OutboxCommitInterceptor(otherSignal)).Options;
        await using (var db = new AppDbContext(options))
        {
            Outbox.Add(db, kit.Credentials.Id, EventTypes.KycStatusChanged, "elsewhere", """{"from":"another process"}""", DateTime.UtcNow);
            await db.SaveChangesAsync();
        }

        // Polling an hour apart and nothing committed in the server's process: only the notification can wake it.
        var received = Assert.Single(await receiver.WaitForAsync(_ => true, 1));
        Assert.Contains("another process", Encoding.UTF8.GetString(received.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommitWakesTheWaiterOnEachOfItsEventTypesAndNoOther()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var signal = server.Services.GetRequiredService<WebhookSignal>();
        var wanted = signal.WakeOn("TEST_WAKE_WANTED");
        var other = signal.WakeOn("TEST_WAKE_OTHER");
        await wanted.WaitAsync(TimeSpan.Zero, CancellationToken.None);
        await other.WaitAsync(TimeSpan.Zero, CancellationToken.None);

        await server.QueryAsync(async db =>
        {
            Outbox.Add(db, kit.Credentials.Id, "TEST_WAKE_OTHER", "here", "{}", DateTime.UtcNow);
            return await db.SaveChangesAsync();
        });
        Assert.False(wanted.IsPending);
        Assert.True(other.IsPending);

        // Two events committed together, one transaction: both types wake.
        await server.QueryAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Outbox.Add(db, kit.Credentials.Id, "TEST_WAKE_WANTED", "here", "{}", DateTime.UtcNow);
            await db.SaveChangesAsync();
            Outbox.Add(db, kit.Credentials.Id, "TEST_WAKE_OTHER", "here", "{}", DateTime.UtcNow);
            await db.SaveChangesAsync();
            Assert.False(wanted.IsPending);
            await transaction.CommitAsync();
            return 0;
        });
        Assert.True(await wanted.WaitAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.True(await other.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [PostgresFact("LISTEN/NOTIFY; on SQLite the dispatcher polls.")]
    public async Task OnPostgresAnotherProcesssCommitWakesTheWaiterOnItsEventTypeAndNoOther()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var signal = server.Services.GetRequiredService<WebhookSignal>();
        var wanted = signal.WakeOn("TEST_NOTIFY_WANTED");
        var marker = signal.WakeOn("TEST_NOTIFY_MARKER");
        using var otherSignal = new WebhookSignal();
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(server.Options.ConnectionString).AddInterceptors(new OutboxCommitInterceptor(otherSignal)).Options;
        async Task CommitElsewhereAsync(string type)
        {
            await using var db = new AppDbContext(options);
            Outbox.Add(db, kit.Credentials.Id, type, "elsewhere", "{}", DateTime.UtcNow);
            await db.SaveChangesAsync();
        }
        // Notifications arrive in order: once the marker's has woken its waiter, every earlier one has been handled
        // (the listener's wake-everything on connecting included).
        await CommitElsewhereAsync("TEST_NOTIFY_MARKER");
        Assert.True(await marker.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        await wanted.WaitAsync(TimeSpan.Zero, CancellationToken.None);

        await CommitElsewhereAsync("TEST_NOTIFY_OTHER");
        await CommitElsewhereAsync("TEST_NOTIFY_MARKER");
        Assert.True(await marker.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.False(wanted.IsPending);

        await CommitElsewhereAsync("TEST_NOTIFY_WANTED");
        Assert.True(await wanted.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
    }
}
