using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Events;

/// <summary>Event types sent to integrations. The first four are the documented webhook types (wire reference §8.3).</summary>
public static class EventTypes
{
    public const string PayIn = "PAY_IN";
    public const string CoinsSent = "COINS_SENT";
    public const string CryptoReceived = "CRYPTO_RECEIVED";
    public const string TransferRampoffFinished = "TRANSFER_RAMPOFF_FINISHED";
    public const string PaymentFailed = "PAYMENT_FAILED";
    public const string KycStatusChanged = "KYC_STATUS_CHANGED";

    /// <summary>An off-ramp operation closed without a payout (expired empty, or rejected as too small).</summary>
    public const string RampoffFailed = "RAMPOFF_FAILED";

    /// <summary>Sent only by the test-event endpoint, to check a receiver.</summary>
    public const string WebhookTest = "WEBHOOK_TEST";

    /// <summary>The older name of <see cref="TransferRampoffFinished"/>, accepted when subscribing.</summary>
    public const string RampoffFinishedAlias = "RAMPOFF_FINISHED";

    /// <summary>Types an integration can subscribe to.</summary>
    public static readonly IReadOnlyList<string> Subscribable = [PayIn, CoinsSent, CryptoReceived, TransferRampoffFinished, PaymentFailed, RampoffFailed, KycStatusChanged];

    public static string? Canonical(string requested) =>
        requested == RampoffFinishedAlias ? TransferRampoffFinished : Subscribable.Contains(requested) ? requested : null;
}

/// <summary>
/// Something that happened, written in the same transaction as the state change that caused it (the outbox), so
/// an event is never sent for a change that rolled back nor lost for one that committed.
/// </summary>
public sealed class OutboxEvent
{
    /// <summary>Insertion order, which is the delivery order per integration.</summary>
    public long Sequence { get; init; }

    public required string Id { get; init; }
    public int IntegrationId { get; init; }
    public required string Type { get; init; }
    public required string ResourceId { get; init; }

    /// <summary>The resource in the shape of its GET endpoint, as JSON.</summary>
    public required string Payload { get; init; }

    public DateTime OccurredAt { get; init; }

    /// <summary>When the dispatcher created this event's deliveries (one per matching subscription); null until then.</summary>
    public DateTime? DispatchedAt { get; set; }
}

internal sealed class OutboxEventConfiguration : IEntityTypeConfiguration<OutboxEvent>
{
    public void Configure(EntityTypeBuilder<OutboxEvent> builder)
    {
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Id).HasMaxLength(40).IsRequired();
        builder.HasIndex(e => e.Id).IsUnique();
        builder.HasOne<Integration>().WithMany().HasForeignKey(e => e.IntegrationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.IntegrationId, e.Sequence });
        builder.Property(e => e.Type).HasMaxLength(40);
        builder.Property(e => e.ResourceId).HasMaxLength(40);
        builder.HasIndex(e => e.DispatchedAt);
    }
}

public static class Outbox
{
    public static OutboxEvent Add(AppDbContext db, int integrationId, string type, string resourceId, string payload, DateTime now)
    {
        var outboxEvent = Create(integrationId, type, resourceId, payload, now);
        db.OutboxEvents.Add(outboxEvent);
        return outboxEvent;
    }

    /// <summary>Stages the event with other rows of the caller's transaction, written together after its save.</summary>
    public static void Add(AppendOnlyRows rows, int integrationId, string type, string resourceId, string payload, DateTime now) =>
        rows.Add(Create(integrationId, type, resourceId, payload, now));

    private static OutboxEvent Create(int integrationId, string type, string resourceId, string payload, DateTime now) => new()
    {
        Id = "evt_" + Secrets.PublicId(),
        IntegrationId = integrationId,
        Type = type,
        ResourceId = resourceId,
        Payload = payload,
        OccurredAt = now,
    };
}
