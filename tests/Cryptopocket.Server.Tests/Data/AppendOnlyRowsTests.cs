using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Webhooks;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cryptopocket.Server.Tests.Data;

/// <summary>
/// Ledger lines and outbox events written with multi-row INSERTs (a bank import's chunk, a settlement round) are stored
/// exactly as SaveChanges stores them, commit or roll back with their transaction, keep their order, and wake what
/// waits on their events at the commit.
/// </summary>
public sealed class AppendOnlyRowsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>Eighteen decimals, a negative line, and a time to the microsecond: what a type mapping could lose.</summary>
    private static LedgerPosting Posting(string postingId, DateTime now) =>
        new LedgerPosting(postingId, null, now)
            .Debit("test:receivable", "USDC", 12.345678901234567891m)
            .Credit("test:owed", "USDC", 12.345678901234567891m)
            .Debit("test:fee", "EUR", 0.01m)
            .Credit("test:revenue", "EUR", 0.01m);

    private async Task<int> IntegrationIdAsync() => (await server.CreateIntegrationAsync()).Id;

    [Fact]
    public async Task RowsAreStoredExactlyAsSaveChangesStoresThem()
    {
        var integration = await IntegrationIdAsync();
        var now = new DateTime(2026, 11, 22, 18, 30, 15, DateTimeKind.Utc).AddTicks(1234560);
        var tag = Guid.NewGuid().ToString("N")[..12];
        // A payload with braces, quotes and non-ASCII text: it must reach the table untouched, not be read as SQL or a format string.
        var payload = """{"id":"{0}","name":"Lucía O'Brien","note":"{{x}} €"}""";

        await server.QueryAsync(async db =>
        {
            Posting($"tracked:{tag}", now).AddTo(db);
            Outbox.Add(db, integration, "TEST_TRACKED", tag, payload, now);
            return await db.SaveChangesAsync();
        });
        await server.QueryAsync(async db =>
        {
            var rows = new AppendOnlyRows();
            Posting($"rows:{tag}", now).AddTo(rows);
            Outbox.Add(rows, integration, "TEST_ROWS", tag, payload, now);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await rows.InsertAsync(db, CancellationToken.None);
            await transaction.CommitAsync();
            return 0;
        });

        var lines = await server.QueryAsync(db => db.LedgerEntries.AsNoTracking()
            .Where(e => e.PostingId == $"tracked:{tag}" || e.PostingId == $"rows:{tag}").OrderBy(e => e.Id).ToListAsync());
        var tracked = lines.Where(e => e.PostingId.StartsWith("tracked:", StringComparison.Ordinal)).OrderBy(e => e.Account, StringComparer.Ordinal).ToList();
        var inserted = lines.Where(e => e.PostingId.StartsWith("rows:", StringComparison.Ordinal)).OrderBy(e => e.Account, StringComparer.Ordinal).ToList();
        Assert.Equal(4, tracked.Count);
        Assert.Equal(
            tracked.Select(e => (e.Account, e.Asset, e.Amount, e.PaymentId, e.CreatedAt, e.CreatedAt.Kind)),
            inserted.Select(e => (e.Account, e.Asset, e.Amount, e.PaymentId, e.CreatedAt, e.CreatedAt.Kind)));
        Assert.Equal(-12.345678901234567891m, inserted.Single(e => e.Account == "test:owed").Amount);
        Assert.Equal(now, inserted[0].CreatedAt);
        Assert.All(inserted, e => Assert.True(e.Id > 0));

        var events = await server.QueryAsync(db => db.OutboxEvents.AsNoTracking().Where(e => e.ResourceId == tag).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(["TEST_TRACKED", "TEST_ROWS"], events.Select(e => e.Type));
        // (DispatchedAt is the running dispatcher's to set.)
        Assert.All(events, e => Assert.Equal((integration, payload, now, DateTimeKind.Utc), (e.IntegrationId, e.Payload, e.OccurredAt, e.OccurredAt.Kind)));
        Assert.StartsWith("evt_", events[1].Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NullsAndValuesOfNullableColumnsAreStoredAsGiven()
    {
        var integration = await IntegrationIdAsync();
        var tag = Guid.NewGuid().ToString("N")[..12];
        var dispatched = new DateTime(2026, 11, 22, 18, 30, 15, DateTimeKind.Utc).AddTicks(10);

        // Read back inside the transaction, before a dispatcher can see the event and set the column itself.
        var stored = await server.QueryAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await MultiRowInsert.InsertAsync(db, [
                new OutboxEvent { Id = $"evt_{tag}a", IntegrationId = integration, Type = "TEST_NULLS", ResourceId = tag, Payload = "{}", OccurredAt = dispatched },
                new OutboxEvent { Id = $"evt_{tag}b", IntegrationId = integration, Type = "TEST_NULLS", ResourceId = tag, Payload = "{}", OccurredAt = dispatched, DispatchedAt = dispatched },
            ], CancellationToken.None);
            var read = await db.OutboxEvents.AsNoTracking().Where(e => e.ResourceId == tag).OrderBy(e => e.Sequence).Select(e => e.DispatchedAt).ToListAsync();
            await transaction.RollbackAsync();
            return read;
        });

        Assert.Equal([null, dispatched], stored);
    }

    [Fact]
    public async Task MoreRowsThanOneStatementTakesAreAllStoredInTheOrderStaged()
    {
        var integration = await IntegrationIdAsync();
        var tag = Guid.NewGuid().ToString("N")[..12];
        var rows = new AppendOnlyRows();
        var staged = new List<string>();
        for (var i = 0; i < 1_201; i++)
        {
            var resource = $"{tag}-{i:D4}";
            staged.Add(resource);
            Outbox.Add(rows, integration, "TEST_ORDER", resource, "{}", DateTime.UtcNow);
        }

        await server.QueryAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await rows.InsertAsync(db, CancellationToken.None);
            await transaction.CommitAsync();
            return 0;
        });

        var stored = await server.QueryAsync(db => db.OutboxEvents.Where(e => e.ResourceId.StartsWith(tag)).OrderBy(e => e.Sequence).Select(e => e.ResourceId).ToListAsync());
        Assert.Equal(staged, stored);
    }

    [Fact]
    public async Task OutsideATransactionNothingIsWritten()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var rows = new AppendOnlyRows();
        Posting($"alone:{tag}", DateTime.UtcNow).AddTo(rows);

        var refused = await server.QueryAsync(db => Assert.ThrowsAsync<InvalidOperationException>(() => rows.InsertAsync(db, CancellationToken.None)));

        Assert.Contains("inside the transaction", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await server.QueryAsync(db => db.LedgerEntries.CountAsync(e => e.PostingId == $"alone:{tag}")));
    }

    [Fact]
    public async Task ARolledBackTransactionKeepsNoRowAndWakesNothing()
    {
        var integration = await IntegrationIdAsync();
        var signal = server.Services.GetRequiredService<WebhookSignal>();
        var waiter = signal.WakeOn("TEST_ROWS_ROLLED_BACK");
        await waiter.WaitAsync(TimeSpan.Zero, CancellationToken.None);
        var tag = Guid.NewGuid().ToString("N")[..12];

        await server.QueryAsync(async db =>
        {
            var rows = new AppendOnlyRows();
            Posting($"rolled-back:{tag}", DateTime.UtcNow).AddTo(rows);
            Outbox.Add(rows, integration, "TEST_ROWS_ROLLED_BACK", tag, "{}", DateTime.UtcNow);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await rows.InsertAsync(db, CancellationToken.None);
            await transaction.RollbackAsync();
            // The next commit on this context (pooled: any later user's) must not signal what was rolled back.
            await using var next = await db.Database.BeginTransactionAsync();
            await next.CommitAsync();
            return 0;
        });

        Assert.Equal(0, await server.QueryAsync(db => db.LedgerEntries.CountAsync(e => e.PostingId == $"rolled-back:{tag}")));
        Assert.Equal(0, await server.QueryAsync(db => db.OutboxEvents.CountAsync(e => e.ResourceId == tag)));
        Assert.False(waiter.IsPending);
    }

    [Fact]
    public async Task ACommitWakesWhatWaitsOnTheInsertedEventsTypes()
    {
        var integration = await IntegrationIdAsync();
        var signal = server.Services.GetRequiredService<WebhookSignal>();
        var waiter = signal.WakeOn("TEST_ROWS_COMMITTED");
        await waiter.WaitAsync(TimeSpan.Zero, CancellationToken.None);

        await server.QueryAsync(async db =>
        {
            var rows = new AppendOnlyRows();
            Outbox.Add(rows, integration, "TEST_ROWS_COMMITTED", Guid.NewGuid().ToString("N")[..12], "{}", DateTime.UtcNow);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await rows.InsertAsync(db, CancellationToken.None);
            // Inserted, not committed: nothing to wake for yet.
            Assert.False(waiter.IsPending);
            await transaction.CommitAsync();
            return 0;
        });

        Assert.True(waiter.IsPending);
    }
}
