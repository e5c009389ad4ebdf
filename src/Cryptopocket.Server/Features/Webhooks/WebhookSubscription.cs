using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>One URL for one event type of one integration (wire reference §8.1: one subscription per type).</summary>
public sealed class WebhookSubscription
{
    public long Id { get; init; }
    public int IntegrationId { get; init; }
    public required string Type { get; init; }
    public required string Url { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One event to be delivered to one subscription; retried with backoff until delivered or given up.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; init; }
    public long EventSequence { get; init; }
    public long SubscriptionId { get; init; }
    public int IntegrationId { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }

    /// <summary>A dispatcher's lease: another instance leaves the delivery alone until it runs out.</summary>
    public DateTime? ClaimedUntil { get; set; }

    public int? LastStatusCode { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DeliveredAt { get; set; }
}

/// <summary>Every attempt, kept for the delivery log: when, what came back, how long it took.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; init; }
    public long DeliveryId { get; init; }
    public DateTime AttemptedAt { get; init; }
    public int? StatusCode { get; init; }
    public int LatencyMs { get; init; }
    public string? ResponseSnippet { get; init; }
    public string? Error { get; init; }
}

public static class WebhookDeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>Every retry of the schedule failed; redeliver to try again.</summary>
    public const string Failed = "failed";
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<WebhookSubscription>, IEntityTypeConfiguration<WebhookDelivery>, IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.HasOne<Integration>().WithMany().HasForeignKey(s => s.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.Type).HasMaxLength(40);
        builder.HasIndex(s => new { s.IntegrationId, s.Type }).IsUnique();
        builder.Property(s => s.Url).HasMaxLength(2048);
    }

    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.HasOne<OutboxEvent>().WithMany().HasForeignKey(d => d.EventSequence).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.EventSequence, d.SubscriptionId }).IsUnique();
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.SubscriptionId, d.Status, d.EventSequence });
        builder.HasIndex(d => new { d.IntegrationId, d.CreatedAt });
        builder.Property(d => d.EventId).HasMaxLength(40);
        builder.Property(d => d.EventType).HasMaxLength(40);
        builder.Property(d => d.Status).HasMaxLength(20);
    }

    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.DeliveryId);
        builder.Property(a => a.ResponseSnippet).HasMaxLength(500);
        builder.Property(a => a.Error).HasMaxLength(500);
    }
}
