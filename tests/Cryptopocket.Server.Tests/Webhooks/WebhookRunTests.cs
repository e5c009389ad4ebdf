using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Webhooks;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Webhooks;

/// <summary>The system clock moved on by <see cref="Ahead"/>: a second instance that lives in the future.</summary>
internal sealed class ShiftedClock(TimeSpan ahead) : TimeProvider
{
    public TimeSpan Ahead { get; set; } = ahead;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Ahead;
}

/// <summary>
/// Runs as a second instance sees them. The deliveries here fall due an hour from now, so the server's own dispatcher
/// leaves them alone; a dispatcher whose clock is two hours ahead plays the other instance.
/// </summary>
public sealed class WebhookRunTests(FastRetryServer server) : IClassFixture<FastRetryServer>
{
    private sealed record Queued(PurchaseKit Kit, long SubscriptionId, IReadOnlyList<long> DeliveryIds, IReadOnlyList<string> EventIds);

    /// <summary>
    /// <paramref name="count"/> events for one subscription, their deliveries due an hour from now. All of one customer
    /// unless <paramref name="oneResourceEach"/>: then sent one after another, as one resource's events always are.
    /// </summary>
    private async Task<Queued> QueueAsync(Uri url, int count, bool oneResourceEach = false)
    {
        var kit = await PurchaseKit.CreateAsync(server);
        await kit.Http.PostAsync("/api/subscribeToWebhook", new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = "KYC_STATUS_CHANGED", ["url"] = url.ToString() }));
        return await QueueMoreAsync(kit, count, oneResourceEach);
    }

    /// <summary>As <see cref="QueueAsync"/>, for the subscription <paramref name="kit"/>'s integration already has.</summary>
    private Task<Queued> QueueMoreAsync(PurchaseKit kit, int count, bool oneResourceEach = false) =>
        server.QueryAsync(async db =>
        {
            var subscription = await db.WebhookSubscriptions.SingleAsync(s => s.IntegrationId == kit.Credentials.Id);
            var now = DateTime.UtcNow;
            var events = Enumerable.Range(0, count).Select(i => Outbox.Add(db, kit.Credentials.Id, EventTypes.KycStatusChanged, oneResourceEach ? $"run-{i}" : "run-customer", $"{{\"n\":{i}}}", now)).ToList();
            events.ForEach(e => e.DispatchedAt = now);
            await db.SaveChangesAsync();
            var deliveries = events.Select(e => WebhookDispatcher.NewDelivery(e, subscription.Id, now)).ToList();
            deliveries.ForEach(d => d.NextAttemptAt = now.AddHours(1));
            db.WebhookDeliveries.AddRange(deliveries);
            await db.SaveChangesAsync();
            return new Queued(kit, subscription.Id, [.. deliveries.Select(d => d.Id)], [.. events.Select(e => e.Id)]);
        });

    private WebhookDispatcher SecondInstance(ShiftedClock clock) => ActivatorUtilities.CreateInstance<WebhookDispatcher>(server.Services, (TimeProvider)clock);

    private Task<List<WebhookDelivery>> DeliveriesAsync(Queued queued) =>
        server.QueryAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == queued.SubscriptionId).OrderBy(d => d.EventSequence).ToListAsync());

    [Fact]
    public async Task ARunLeasedByOneInstanceIsLeftAloneByAnotherUntilTheLeaseRunsOut()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var queued = await QueueAsync(receiver.BaseAddress, 10);
        var clock = new ShiftedClock(TimeSpan.FromHours(2));
        var now = clock.GetUtcNow().UtcDateTime;
        // The first instance's run: it holds all ten, as if it were sending them now.
        var first = await server.QueryAsync(db => WebhookLease.TakeAsync(db, queued.DeliveryIds, now, WebhookLease.Until(now, TimeSpan.FromSeconds(10)), CancellationToken.None));
        var second = SecondInstance(clock);

        var whileLeased = await second.DeliverDueAsync(CancellationToken.None);
        var again = await server.QueryAsync(db => WebhookLease.TakeAsync(db, queued.DeliveryIds, now, WebhookLease.Until(now, TimeSpan.FromSeconds(10)), CancellationToken.None));
        clock.Ahead += TimeSpan.FromMinutes(1);                  // the first instance died; its lease has run out
        var afterwards = await second.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(queued.DeliveryIds, first.Order());
        Assert.Equal(0, whileLeased);
        Assert.Empty(again);
        Assert.Equal(10, afterwards);
        var received = await receiver.WaitForAsync(_ => true, 10);
        Assert.Equal(queued.EventIds, received.Select(r => r.Headers["X-Event-Id"]));
    }

    [Fact]
    public async Task EachRunGoesToTheUrlAndIsSignedWithTheSecretTheSubscriptionHasWhenItStarts()
    {
        await using var before = await WebhookReceiver.StartAsync();
        await using var after = await WebhookReceiver.StartAsync();
        var first = await QueueAsync(before.BaseAddress, 3, oneResourceEach: true);
        var kit = first.Kit;
        var second = SecondInstance(new ShiftedClock(TimeSpan.FromHours(2)));
        var sentFirst = await second.DeliverDueAsync(CancellationToken.None);

        var updated = await kit.Http.PostAsync("/api/updateWebhookSubscription",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["type"] = "KYC_STATUS_CHANGED", ["url"] = after.BaseAddress.ToString() }));
        Assert.Equal("subscription_updated", (await updated.JsonAsync()).GetProperty("data").GetString());
        var rotated = await server.WithServiceAsync<IntegrationCredentials, IntegrationService>(s => s.RotateSecretAsync(kit.Credentials.Name, CancellationToken.None));
        var next = await QueueMoreAsync(kit, 2, oneResourceEach: true);
        var sentNext = await second.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(3, sentFirst);
        Assert.Equal(2, sentNext);
        var oldTarget = await before.WaitForAsync(_ => true, 3);
        var newTarget = await after.WaitForAsync(_ => true, 2);
        // One resource each: a run sends them side by side, so they arrive in any order.
        Assert.Equal(first.EventIds.Order(StringComparer.Ordinal), oldTarget.Select(r => r.Headers["X-Event-Id"]).Order(StringComparer.Ordinal));
        Assert.Equal(next.EventIds.Order(StringComparer.Ordinal), newTarget.Select(r => r.Headers["X-Event-Id"]).Order(StringComparer.Ordinal));
        Assert.All(oldTarget, r => Assert.True(r.IsSignedWith(kit.Credentials.ApiSecret), "signed with the secret of the time"));
        Assert.All(newTarget, r => Assert.True(r.IsSignedWith(rotated.ApiSecret), "signed with the rotated secret"));
        Assert.All(newTarget, r => Assert.False(r.IsSignedWith(kit.Credentials.ApiSecret), "still signed with the old secret"));
        Assert.Equal(3, before.Requests.Count);
    }

    [Fact]
    public async Task LeasingADifferentRunEachTimeCompilesNoQueryForIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var queued = await QueueAsync(receiver.BaseAddress, 6);
        var now = new ShiftedClock(TimeSpan.FromHours(2)).GetUtcNow().UtcDateTime;

        var (leased, compiled) = await server.QueryAsync(async db =>
        {
            using var calls = new DatabaseCalls { CompilationsOf = db };
            var leased = new List<long>();
            foreach (var run in queued.DeliveryIds.Chunk(2))
            {
                leased.AddRange(await WebhookLease.TakeAsync(db, run, now, WebhookLease.Until(now, TimeSpan.FromSeconds(10)), CancellationToken.None));
            }
            var compiled = calls.Compilations;
            // Nothing of this test stays due for the other tests' second instance once its lease runs out.
            await db.WebhookDeliveries.Where(d => queued.DeliveryIds.Contains(d.Id))
                .ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, WebhookDeliveryStatuses.Delivered));
            return (leased, compiled);
        });

        // Each run's ids in the statement's text made a new query for EF to compile and keep, on every run.
        Assert.Equal(queued.DeliveryIds, leased.Order());
        Assert.Equal(0, compiled);
    }

    [Fact]
    public async Task ARunStopsAtADeliveryLeasedElsewhereAndGivesBackWhatItCannotSendInOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var queued = await QueueAsync(receiver.BaseAddress, 10);
        var clock = new ShiftedClock(TimeSpan.FromHours(2));
        var foreignLease = WebhookLease.Until(clock.GetUtcNow().UtcDateTime, TimeSpan.FromMinutes(1));
        var fifth = queued.DeliveryIds[4];
        await server.QueryAsync(db => db.WebhookDeliveries.Where(d => d.Id == fifth).ExecuteUpdateAsync(d => d.SetProperty(x => x.ClaimedUntil, foreignLease)));
        var second = SecondInstance(clock);

        var beforeIt = await second.DeliverDueAsync(CancellationToken.None);
        var held = await DeliveriesAsync(queued);
        await server.QueryAsync(db => db.WebhookDeliveries.Where(d => d.Id == fifth).ExecuteUpdateAsync(d => d.SetProperty(x => x.ClaimedUntil, (DateTime?)null)));
        var rest = await second.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(4, beforeIt);
        Assert.All(held.Take(4), d => Assert.Equal(WebhookDeliveryStatuses.Delivered, d.Status));
        Assert.Equal(foreignLease, held[4].ClaimedUntil);
        Assert.All(held.Skip(5), d => Assert.Null(d.ClaimedUntil));
        Assert.All(held.Skip(4), d => Assert.Equal(0, d.Attempts));
        Assert.Equal(6, rest);
        var received = await receiver.WaitForAsync(_ => true, 10);
        Assert.Equal(queued.EventIds, received.Select(r => r.Headers["X-Event-Id"]));
    }

    /// <summary>
    /// A second instance delivers the queue while the receiver fails its first request, then again once the retry is
    /// due; answers the attempts of each round and the deliveries as the first round left them.
    /// </summary>
    private async Task<(int Failing, List<WebhookDelivery> AfterFailure, int Retried)> FailOnceThenRetryAsync(WebhookReceiver receiver, Queued queued)
    {
        var clock = new ShiftedClock(TimeSpan.FromHours(2));
        var second = SecondInstance(clock);
        receiver.FailNext(1);
        var failing = await second.DeliverDueAsync(CancellationToken.None);
        var afterFailure = await DeliveriesAsync(queued);
        clock.Ahead += TimeSpan.FromSeconds(1);                  // past the 300 ms retry
        return (failing, afterFailure, await second.DeliverDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task OutcomesSavedInBatchesStillRecordEveryAttemptAndAFailureHoldsTheRestBack()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var queued = await QueueAsync(receiver.BaseAddress, 70);

        var (failing, afterFailure, retried) = await FailOnceThenRetryAsync(receiver, queued);
        var done = await DeliveriesAsync(queued);
        var attempts = await server.QueryAsync(db => db.WebhookAttempts.AsNoTracking().Where(a => queued.DeliveryIds.Contains(a.DeliveryId)).ToListAsync());

        Assert.Equal(1, failing);
        Assert.Equal((WebhookDeliveryStatuses.Pending, 1, (int?)503, (DateTime?)null), (afterFailure[0].Status, afterFailure[0].Attempts, afterFailure[0].LastStatusCode, afterFailure[0].ClaimedUntil));
        Assert.All(afterFailure.Skip(1), d => Assert.Equal((WebhookDeliveryStatuses.Pending, 0, (DateTime?)null), (d.Status, d.Attempts, d.ClaimedUntil)));
        Assert.Equal(70, retried);
        Assert.All(done, d => Assert.Equal((WebhookDeliveryStatuses.Delivered, (DateTime?)null, (int?)200), (d.Status, d.ClaimedUntil, d.LastStatusCode)));
        Assert.All(done, d => Assert.NotNull(d.DeliveredAt));
        Assert.Equal(71, attempts.Count);
        Assert.Equal([2, .. Enumerable.Repeat(1, 69)], queued.DeliveryIds.Select(id => attempts.Count(a => a.DeliveryId == id)));
        Assert.Equal(done.Select(d => d.Attempts), queued.DeliveryIds.Select(id => attempts.Count(a => a.DeliveryId == id)));
        var received = await receiver.WaitForAsync(_ => true, 70);
        Assert.Equal(queued.EventIds, received.Select(r => r.Headers["X-Event-Id"]));
    }

    [Fact]
    public async Task AFailureInAWindowOfDifferentResourcesStopsTheRunAfterThatWindow()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var queued = await QueueAsync(receiver.BaseAddress, 10, oneResourceEach: true);

        var (failing, afterFailure, retried) = await FailOnceThenRetryAsync(receiver, queued);

        // The first window (8 resources) went at once; one of them met the failure, the other seven were delivered.
        var window = new WebhookOptions().InFlightPerSubscription;
        Assert.Equal(window, failing);
        Assert.Single(afterFailure.Take(window), d => (d.Status, d.Attempts, d.LastStatusCode) == (WebhookDeliveryStatuses.Pending, 1, (int?)503));
        Assert.Equal(window - 1, afterFailure.Take(window).Count(d => d.Status == WebhookDeliveryStatuses.Delivered));
        Assert.All(afterFailure.Skip(window), d => Assert.Equal((WebhookDeliveryStatuses.Pending, 0, (DateTime?)null), (d.Status, d.Attempts, d.ClaimedUntil)));
        Assert.Equal(10 - window + 1, retried);
        Assert.All(await DeliveriesAsync(queued), d => Assert.Equal(WebhookDeliveryStatuses.Delivered, d.Status));
    }
}
