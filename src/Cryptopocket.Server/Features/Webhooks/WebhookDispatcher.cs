using System.Diagnostics;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>
/// Delivers outbox events to subscriptions, at least once and in order per subscription. Each round: turn newly
/// committed events into deliveries (one per matching subscription; a unique index makes a second instance's copy fail),
/// find the subscriptions whose oldest pending delivery is due, and wake each one's lane (starting it if it has none,
/// up to <see cref="WebhookOptions.Concurrency"/>). A lane delivers its subscription's runs back to back without
/// waiting for the others (<see cref="WebhookRunner"/>: a run is leased in one conditional update, so exactly one
/// instance wins each delivery, and its outcomes are saved in batches). Killed mid-delivery, the lease runs out and the
/// delivery is tried again: receivers drop the duplicate by its X-Event-Id.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSignal signal, IHttpClientFactory httpClients, IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    /// <summary>
    /// The shortest time between two rounds. Under a stream of commits the signal is always set; without a pause the
    /// rounds' two queries would run back to back and crowd out the lanes, which are what delivers.
    /// </summary>
    private static readonly TimeSpan RoundGap = TimeSpan.FromMilliseconds(10);

    /// <summary>How long a lane with nothing to do waits to be woken before it ends (and gives up its place).</summary>
    private static readonly TimeSpan LaneLinger = TimeSpan.FromSeconds(10);

    private readonly Lock _lanesLock = new();
    private readonly Dictionary<long, WebhookLane> _lanes = [];

    /// <summary>Set when due subscriptions found every lane taken: the lanes then end after their run to make room.</summary>
    private volatile bool _crowded;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        signal.DispatcherRunsHere = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (await FanOutAsync(stoppingToken) == FanOutBatch)
                {
                    signal.Notify();
                }
                WakeLanes(await FindDueSubscriptionsAsync(stoppingToken), stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Webhook round failed; retrying");
            }
            try
            {
                await signal.WaitAsync(options.CurrentValue.IdlePoll, stoppingToken);
                var pause = RoundGap - Stopwatch.GetElapsedTime(started);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        Task[] running;
        lock (_lanesLock)
        {
            running = [.. _lanes.Values.Select(l => l.Completion)];
        }
        // Each lane saves what it sent before it ends.
        await Task.WhenAll(running);
    }

    private const int FanOutBatch = 500;

    /// <summary>Creates the deliveries of up to a batch of undispatched events; answers how many events it took.</summary>
    /// <remarks>
    /// Set-based: one guarded UPDATE marks the batch dispatched and the deliveries go in with multi-row INSERTs, in one
    /// transaction, instead of a tracked update per event and a tracked insert per delivery (for settlement's blocks of
    /// events, that work was much of the time from commit to first attempt). The guard stands in for the unique
    /// (event, subscription) index the tracked version relied on: another instance fanning out the same events at the same
    /// moment makes the UPDATE take fewer rows (on PostgreSQL it waits for that instance's commit; SQLite serialises
    /// writers), and everything here rolls back: that instance's deliveries stand, and what it did not take is found
    /// at the next round. On PostgreSQL the update and the insert are one statement (<see cref="TakeAndInsertAsync"/>),
    /// which on such a race inserts the deliveries of the events it did take instead of rolling back.
    /// </remarks>
    public async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Not the payloads: a delivery only names its event.
        var events = await db.OutboxEvents.AsNoTracking().Where(e => e.DispatchedAt == null).OrderBy(e => e.Sequence).Take(FanOutBatch)
            .Select(e => new { e.Sequence, e.Id, e.IntegrationId, e.Type }).ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return 0;
        }
        var integrations = events.Select(e => e.IntegrationId).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => integrations.Contains(s.IntegrationId)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var deliveries = events
            .SelectMany(e => subscriptions.Where(s => s.IntegrationId == e.IntegrationId && s.Type == e.Type)
                .Select(s => NewDelivery(e.Sequence, e.Id, e.IntegrationId, e.Type, s.Id, now)))
            .ToList();
        var sequences = events.Select(e => e.Sequence).ToList();
        if (db.IsPostgres)
        {
            await TakeAndInsertAsync(db, sequences, deliveries, now, cancellationToken);
            return events.Count;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var taken = await db.OutboxEvents.Where(e => sequences.Contains(e.Sequence) && e.DispatchedAt == null)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.DispatchedAt, now), cancellationToken);
        if (taken == events.Count)
        {
            await MultiRowInsert.InsertAsync(db, deliveries, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return events.Count;
    }

    /// <summary>
    /// PostgreSQL: marks the events dispatched and inserts the deliveries of the events it marked, in one statement atomic
    /// by itself: one round trip instead of the update's, the insert's and the commit's, on the path from an event's
    /// commit to its first attempt (docs/performance.md, "Seventeenth session"). An event another instance marked first
    /// keeps that instance's deliveries: this statement inserts only for the events its own UPDATE took (its RETURNING),
    /// so each event's deliveries are made once.
    /// </summary>
    private static async Task TakeAndInsertAsync(AppDbContext db, List<long> sequences, List<WebhookDelivery> deliveries, DateTime now,
        CancellationToken cancellationToken)
    {
        var dispatchedAt = RowStatement.Column.Of(db.Model.FindEntityType(typeof(OutboxEvent))!.FindProperty(nameof(OutboxEvent.DispatchedAt))!);
        await using var statement = await RowStatement.AloneAsync(db, "WITH taken AS (UPDATE outbox_events SET dispatched_at = ", cancellationToken);
        statement.Scalar(dispatchedAt, now).Text.Append(" WHERE sequence = ANY(");
        statement.Parameter(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = sequences.ToArray() })
            .Text.Append(") AND dispatched_at IS NULL RETURNING sequence) ");
        await MultiRowInsert.AppendTo(statement, db, deliveries, nameof(WebhookDelivery.EventSequence), "SELECT sequence FROM taken")
            .ExecuteAsync(cancellationToken);
    }

    public static WebhookDelivery NewDelivery(OutboxEvent outboxEvent, long subscriptionId, DateTime now) =>
        NewDelivery(outboxEvent.Sequence, outboxEvent.Id, outboxEvent.IntegrationId, outboxEvent.Type, subscriptionId, now);

    private static WebhookDelivery NewDelivery(long eventSequence, string eventId, int integrationId, string eventType, long subscriptionId, DateTime now) => new()
    {
        EventSequence = eventSequence, SubscriptionId = subscriptionId, IntegrationId = integrationId,
        EventId = eventId, EventType = eventType, Status = WebhookDeliveryStatuses.Pending, NextAttemptAt = now, CreatedAt = now,
    };

    /// <summary>
    /// One round without lanes, for tests that play several instances: finds every subscription whose oldest pending
    /// delivery is due and delivers one run of each; answers how many attempts were made.
    /// </summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var due = await FindDueSubscriptionsAsync(cancellationToken);
        var attempted = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.CurrentValue.Concurrency, CancellationToken = cancellationToken },
            async (subscriptionId, token) =>
            {
                await using var runner = NewRunner();
                Interlocked.Add(ref attempted, (await runner.DeliverRunAsync(subscriptionId, token)).Attempted);
            });
        return attempted;
    }

    /// <summary>Subscriptions whose oldest pending delivery is due and not leased, soonest due first.</summary>
    private async Task<List<long>> FindDueSubscriptionsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Only the oldest pending delivery of a subscription may go: order is kept, a failing one holds the rest back.
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatuses.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now)
                        && !db.WebhookDeliveries.Any(o => o.SubscriptionId == d.SubscriptionId && o.Status == WebhookDeliveryStatuses.Pending && o.EventSequence < d.EventSequence))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.SubscriptionId).Take(options.CurrentValue.Concurrency).ToListAsync(cancellationToken);
    }

    private WebhookRunner NewRunner() => new(scopes.CreateAsyncScope(), httpClients.CreateClient(HttpClientName), options, clock);

    /// <summary>Wakes the lane of each due subscription, starting one where there is none and room for it.</summary>
    private void WakeLanes(List<long> due, CancellationToken stoppingToken)
    {
        lock (_lanesLock)
        {
            var crowded = false;
            foreach (var subscriptionId in due)
            {
                if (_lanes.TryGetValue(subscriptionId, out var lane))
                {
                    lane.Wake();
                }
                else if (_lanes.Count < options.CurrentValue.Concurrency)
                {
                    lane = new WebhookLane(subscriptionId);
                    _lanes.Add(subscriptionId, lane);
                    lane.Completion = Task.Run(() => RunLaneAsync(lane, stoppingToken), CancellationToken.None);
                }
                else
                {
                    crowded = true;
                }
            }
            _crowded = crowded;
            if (crowded)
            {
                // Idle lanes hold places too: wake them so they see the crowd and end.
                foreach (var lane in _lanes.Values)
                {
                    lane.Wake();
                }
            }
        }
    }

    private async Task RunLaneAsync(WebhookLane lane, CancellationToken stoppingToken)
    {
        try
        {
            await using var runner = NewRunner();
            while (!_crowded)
            {
                var run = await runner.DeliverRunAsync(lane.SubscriptionId, stoppingToken);
                if (!run.More && !await lane.WaitAsync(LaneLinger, stoppingToken) && TryEnd(lane))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the runner saved what was sent.
        }
        catch (Exception exception)
        {
            // Its leases run out and the next round starts a lane again.
            logger.LogWarning(exception, "Webhook lane of subscription {SubscriptionId} failed", lane.SubscriptionId);
        }
        finally
        {
            End(lane);
            lane.Dispose();
        }
        // Ended to make room (or failed): the next round finds the subscription again if it is still due.
        signal.Notify();
    }

    /// <summary>Ends an idle lane unless it was woken since it stopped waiting (then it looks again).</summary>
    private bool TryEnd(WebhookLane lane)
    {
        lock (_lanesLock)
        {
            if (lane.Woken)
            {
                return false;
            }
            _lanes.Remove(lane.SubscriptionId);
            return true;
        }
    }

    private void End(WebhookLane lane)
    {
        lock (_lanesLock)
        {
            if (_lanes.TryGetValue(lane.SubscriptionId, out var current) && current == lane)
            {
                _lanes.Remove(lane.SubscriptionId);
            }
        }
    }
}
