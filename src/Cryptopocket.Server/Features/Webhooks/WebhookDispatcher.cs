using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>
/// Delivers outbox events to subscriptions, at least once and in order per subscription. Each round: turn newly
/// committed events into deliveries (one per matching subscription; a unique index makes a second instance's copy fail),
/// lease the oldest due delivery of each subscription (a conditional update: exactly one instance wins it), POST it
/// signed, log the attempt, and either finish it or schedule the next try. Killed mid-delivery, the lease runs out and
/// the delivery is tried again: receivers drop the duplicate by its X-Event-Id.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSignal signal, IHttpClientFactory httpClients, IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                await FanOutAsync(stoppingToken);
                busy = await DeliverDueAsync(stoppingToken) > 0;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Webhook round failed; retrying");
            }
            if (!busy)
            {
                await signal.WaitAsync(options.CurrentValue.IdlePoll, stoppingToken);
            }
        }
    }

    public async Task FanOutAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var events = await db.OutboxEvents.Where(e => e.DispatchedAt == null).OrderBy(e => e.Sequence).Take(500).ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return;
        }
        var integrations = events.Select(e => e.IntegrationId).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => integrations.Contains(s.IntegrationId)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var outboxEvent in events)
        {
            outboxEvent.DispatchedAt = now;
            foreach (var subscription in subscriptions.Where(s => s.IntegrationId == outboxEvent.IntegrationId && s.Type == outboxEvent.Type))
            {
                db.WebhookDeliveries.Add(NewDelivery(outboxEvent, subscription.Id, now));
            }
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance fanned these out at the same moment; its deliveries stand.
        }
    }

    public static WebhookDelivery NewDelivery(OutboxEvent outboxEvent, long subscriptionId, DateTime now) => new()
    {
        EventSequence = outboxEvent.Sequence, SubscriptionId = subscriptionId, IntegrationId = outboxEvent.IntegrationId,
        EventId = outboxEvent.Id, EventType = outboxEvent.Type, Status = WebhookDeliveryStatuses.Pending, NextAttemptAt = now, CreatedAt = now,
    };

    /// <summary>
    /// Finds every subscription whose oldest pending delivery is due and delivers a run of its deliveries in order;
    /// answers how many attempts were made.
    /// </summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<long> heads;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // Only the oldest pending delivery of a subscription may go: order is kept, a failing one holds the rest back.
            heads = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatuses.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now)
                            && !db.WebhookDeliveries.Any(o => o.SubscriptionId == d.SubscriptionId && o.Status == WebhookDeliveryStatuses.Pending && o.EventSequence < d.EventSequence))
                .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(options.CurrentValue.Concurrency).ToListAsync(cancellationToken);
        }
        var attempted = 0;
        await Parallel.ForEachAsync(heads, new ParallelOptions { MaxDegreeOfParallelism = options.CurrentValue.Concurrency, CancellationToken = cancellationToken },
            async (id, token) => Interlocked.Add(ref attempted, await DeliverRunAsync(id, token)));
        return attempted;
    }

    /// <summary>
    /// Delivers a subscription's pending deliveries one after another from <paramref name="headId"/>, at most
    /// <see cref="WebhookOptions.RunLength"/>, loading the subscription, its integration and secret once for the run.
    /// Each delivery is leased (a conditional update: exactly one instance wins it) before it is sent, and its outcome
    /// saved before the next is leased, so another instance can only ever take over at the next one in order. The run
    /// stops at the first failure (its retry holds the rest back) or at a delivery someone else leased.
    /// </summary>
    private async Task<int> DeliverRunAsync(long headId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var head = await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == headId, cancellationToken);
        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == head.SubscriptionId, cancellationToken);
        var integration = await db.Integrations.AsNoTracking().SingleAsync(i => i.Id == head.IntegrationId, cancellationToken);
        var secret = scope.ServiceProvider.GetRequiredService<IntegrationService>().UnprotectSecret(integration);
        var run = await (
                from d in db.WebhookDeliveries
                join e in db.OutboxEvents on d.EventSequence equals e.Sequence
                where d.SubscriptionId == head.SubscriptionId && d.Status == WebhookDeliveryStatuses.Pending && d.EventSequence >= head.EventSequence
                orderby d.EventSequence
                select new { Delivery = d, Event = e })
            .Take(options.CurrentValue.RunLength).AsNoTracking().ToListAsync(cancellationToken);
        var attempted = 0;
        foreach (var (delivery, outboxEvent) in run.Select(r => (r.Delivery, r.Event)))
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (delivery.NextAttemptAt > now)
            {
                break;
            }
            var lease = now + options.CurrentValue.Timeout + TimeSpan.FromSeconds(20);
            var claimed = await db.WebhookDeliveries
                .Where(d => d.Id == delivery.Id && d.Status == WebhookDeliveryStatuses.Pending && d.NextAttemptAt <= now
                            && (d.ClaimedUntil == null || d.ClaimedUntil < now))
                .ExecuteUpdateAsync(d => d.SetProperty(x => x.ClaimedUntil, lease), cancellationToken);
            if (claimed == 0)
            {
                // Delivered, rescheduled or leased by another instance since the run was read: it carries on from here.
                break;
            }
            attempted++;
            var delivered = await AttemptAsync(db, delivery, subscription, integration, secret, outboxEvent, cancellationToken);
            if (!delivered)
            {
                break;
            }
        }
        return attempted;
    }

    /// <summary>One signed POST, its attempt logged and the delivery finished or rescheduled; true when it was delivered.</summary>
    private async Task<bool> AttemptAsync(AppDbContext db, WebhookDelivery delivery, WebhookSubscription subscription, Integration integration,
        string secret, OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        var body = Body(outboxEvent);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.ApiKeyHeader, integration.ApiKey);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(body, timestamp, secret));
        request.Headers.Add(WebhookSignature.EventIdHeader, outboxEvent.Id);
        request.Headers.Add(WebhookSignature.EventTypeHeader, outboxEvent.Type);

        int? status = null;
        string? snippet = null;
        string? error = null;
        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.CurrentValue.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            snippet = await ReadSnippetAsync(response, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or OperationCanceledException or SocketException
                                          && !cancellationToken.IsCancellationRequested)
        {
            error = exception is OperationCanceledException ? "timed out" : exception.Message;
        }
        watch.Stop();

        var finished = clock.GetUtcNow().UtcDateTime;
        db.WebhookAttempts.Add(new WebhookAttempt
        {
            DeliveryId = delivery.Id, AttemptedAt = finished, StatusCode = status, LatencyMs = (int)watch.ElapsedMilliseconds,
            ResponseSnippet = snippet, Error = error is null ? null : error[..Math.Min(500, error.Length)],
        });
        db.WebhookDeliveries.Attach(delivery);
        delivery.Attempts++;
        delivery.LastStatusCode = status;
        // Read without the lease this run took, so "unchanged" to the tracker: say it changed, or the lease would stay.
        delivery.ClaimedUntil = null;
        db.Entry(delivery).Property(d => d.ClaimedUntil).IsModified = true;
        var delivered = status is >= 200 and < 300;
        if (delivered)
        {
            delivery.Status = WebhookDeliveryStatuses.Delivered;
            delivery.DeliveredAt = finished;
        }
        else
        {
            var schedule = options.CurrentValue.EffectiveRetrySchedule;
            if (delivery.Attempts > schedule.Count)
            {
                delivery.Status = WebhookDeliveryStatuses.Failed;
            }
            else
            {
                var wait = schedule[delivery.Attempts - 1];
                // ±10 % jitter, so receivers coming back up are not hit by every retry in the same second.
                delivery.NextAttemptAt = finished + wait * (0.9 + Random.Shared.NextDouble() * 0.2);
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
        db.ChangeTracker.Clear();
        return delivered;
    }

    /// <summary>The bytes that are signed and sent: the event envelope with the resource as its GET endpoint shows it.</summary>
    public static byte[] Body(OutboxEvent outboxEvent)
    {
        using var data = JsonDocument.Parse(outboxEvent.Payload);
        var envelope = new WebhookEvent(outboxEvent.Id, outboxEvent.Type, new DateTimeOffset(outboxEvent.OccurredAt), data.RootElement);
        return JsonSerializer.SerializeToUtf8Bytes(envelope, CryptopocketJson.Options.GetTypeInfo(typeof(WebhookEvent)));
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[500];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
