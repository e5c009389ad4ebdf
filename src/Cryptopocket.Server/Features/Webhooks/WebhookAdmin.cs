using System.Text.Json;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>The delivery log and redelivery, for integrations (API) and operators (command line) alike.</summary>
public sealed class WebhookAdmin(AppDbContext db, WebhookSignal signal, TimeProvider clock)
{
    public async Task<IReadOnlyList<WebhookDeliveryView>> ListAsync(int? integrationId, string? status, string? type, int limit, CancellationToken cancellationToken)
    {
        var query = from d in db.WebhookDeliveries.AsNoTracking()
                    join s in db.WebhookSubscriptions.AsNoTracking() on d.SubscriptionId equals s.Id
                    where (integrationId == null || d.IntegrationId == integrationId) && (status == null || d.Status == status) && (type == null || d.EventType == type)
                    orderby d.Id descending
                    select new { Delivery = d, s.Url };
        var rows = await query.Take(limit).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Delivery.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).OrderBy(a => a.Id).ToListAsync(cancellationToken))
            .ToLookup(a => a.DeliveryId);
        return rows.Select(r => new WebhookDeliveryView(
            r.Delivery.Id, r.Delivery.EventId, r.Delivery.EventType, r.Url, r.Delivery.Status, r.Delivery.Attempts, r.Delivery.LastStatusCode,
            new DateTimeOffset(r.Delivery.CreatedAt), r.Delivery.DeliveredAt is { } at ? new DateTimeOffset(at) : null,
            r.Delivery.Status == WebhookDeliveryStatuses.Pending ? new DateTimeOffset(r.Delivery.NextAttemptAt) : null,
            attempts[r.Delivery.Id].Select(a => new WebhookAttemptView(new DateTimeOffset(a.AttemptedAt), a.StatusCode, a.LatencyMs, a.ResponseSnippet, a.Error)).ToList()))
            .ToList();
    }

    public async Task<bool> RedeliverAsync(int? integrationId, long deliveryId, CancellationToken cancellationToken)
    {
        var changed = await Reset(db.WebhookDeliveries.Where(d => d.Id == deliveryId && (integrationId == null || d.IntegrationId == integrationId)), cancellationToken);
        return changed > 0;
    }

    /// <summary>Every delivery of events that happened in [from, to): for a receiver that lost data.</summary>
    public async Task<int> RedeliverRangeAsync(int? integrationId, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var sequences = db.OutboxEvents.Where(e => e.OccurredAt >= from && e.OccurredAt < to && (integrationId == null || e.IntegrationId == integrationId)).Select(e => e.Sequence);
        return await Reset(db.WebhookDeliveries.Where(d => sequences.Contains(d.EventSequence)), cancellationToken);
    }

    /// <summary>Queues a WEBHOOK_TEST event for the integration's subscription of <paramref name="type"/>; null if there is none.</summary>
    public async Task<string?> SendTestAsync(int integrationId, string type, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.IntegrationId == integrationId && s.Type == type, cancellationToken);
        if (subscription is null)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var payload = JsonSerializer.Serialize(new Dictionary<string, object> { ["test"] = true, ["subscription_type"] = type, ["url"] = subscription.Url });
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outboxEvent = Outbox.Add(db, integrationId, EventTypes.WebhookTest, "test", payload, now);
        outboxEvent.DispatchedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        db.WebhookDeliveries.Add(WebhookDispatcher.NewDelivery(outboxEvent, subscription.Id, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outboxEvent.Id;
    }

    private async Task<int> Reset(IQueryable<WebhookDelivery> deliveries, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await deliveries.ExecuteUpdateAsync(d => d
            .SetProperty(x => x.Status, WebhookDeliveryStatuses.Pending)
            .SetProperty(x => x.NextAttemptAt, now)
            .SetProperty(x => x.ClaimedUntil, (DateTime?)null), cancellationToken);
        signal.Notify();
        return changed;
    }
}
