using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cryptopocket.Server.Tests.Data;

/// <summary>
/// Concurrent reads by key share queries: each caller still gets exactly its own row (or null), a read asked for while
/// a query is out sees what was committed before it was asked, and a cancelled or failed read touches no other caller.
/// Outbox events stand in for any row with a string key.
/// </summary>
public sealed class BatchedReadsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>Counts the queries and the keys each carried; a test may hold the first query until it lets go.</summary>
    private sealed class CountingReads
    {
        public List<string[]> Queries { get; } = [];
        public TaskCompletionSource? HoldFirst { get; init; }
        public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Func<string[], Exception?> Fail { get; init; } = _ => null;

        public async Task<List<OutboxEvent>> ReadAsync(AppDbContext db, string[] keys, CancellationToken cancellationToken)
        {
            bool first;
            lock (Queries)
            {
                Queries.Add(keys);
                first = Queries.Count == 1;
            }
            if (first)
            {
                FirstStarted.TrySetResult();
                if (HoldFirst is not null)
                {
                    await HoldFirst.Task;
                }
            }
            if (Fail(keys) is { } exception)
            {
                throw exception;
            }
            return await db.OutboxEvents.AsNoTracking().Where(e => keys.Contains(e.Id)).ToListAsync(cancellationToken);
        }
    }

    private BatchedReads<OutboxEvent> Reads(CountingReads counting) =>
        new(server.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), counting.ReadAsync, e => e.Id, NullLogger<BatchedReads<OutboxEvent>>.Instance);

    private async Task<List<string>> AddEventsAsync(int count)
    {
        var integration = (await server.CreateIntegrationAsync()).Id;
        return await server.QueryAsync(async db =>
        {
            var ids = Enumerable.Range(0, count)
                .Select(i => Outbox.Add(db, integration, "TEST_BATCHED_READ", $"r{i}", $$"""{"n":{{i}}}""", DateTime.UtcNow).Id).ToList();
            await db.SaveChangesAsync();
            return ids;
        });
    }

    [Fact]
    public async Task ReadsAskedForWhileAQueryIsOutGoTogetherAndEachGetsItsOwnRow()
    {
        var ids = await AddEventsAsync(40);
        var counting = new CountingReads { HoldFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var reads = Reads(counting);

        var first = reads.FindAsync(ids[0], CancellationToken.None);
        await counting.FirstStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // While the first query is held: the other 39 ids, one of them twice, an unknown id, and a case-changed id.
        var asked = ids.Skip(1).Append(ids[5]).Append("evt_does_not_exist").Append(ids[7].ToUpperInvariant()).ToList();
        var rest = asked.Select(id => reads.FindAsync(id, CancellationToken.None)).ToList();
        counting.HoldFirst!.SetResult();

        Assert.Equal(ids[0], (await first)!.Id);
        var found = await Task.WhenAll(rest);
        for (var i = 0; i < asked.Count; i++)
        {
            if (ids.Contains(asked[i]))
            {
                Assert.Equal(asked[i], found[i]!.Id);
                Assert.Equal($$"""{"n":{{ids.IndexOf(asked[i])}}}""", found[i]!.Payload);
            }
            else
            {
                Assert.Null(found[i]);
            }
        }
        Assert.Equal(2, counting.Queries.Count);
        Assert.Equal([ids[0]], counting.Queries[0]);
        // One query for everything asked in the meantime, each key once.
        Assert.Equal(asked.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), counting.Queries[1].Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AReadAskedForWhileAQueryIsOutSeesRowsCommittedBeforeIt()
    {
        var ids = await AddEventsAsync(1);
        var counting = new CountingReads { HoldFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var reads = Reads(counting);

        var first = reads.FindAsync(ids[0], CancellationToken.None);
        await counting.FirstStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var later = (await AddEventsAsync(1))[0];
        var second = reads.FindAsync(later, CancellationToken.None);
        counting.HoldFirst!.SetResult();

        Assert.Equal(ids[0], (await first)!.Id);
        Assert.Equal(later, (await second)!.Id);
    }

    [Fact]
    public async Task MoreKeysThanOneQueryTakesAreSplitAcrossQueries()
    {
        var ids = await AddEventsAsync(BatchedReads<OutboxEvent>.MaxKeysPerQuery * 2 + 10);
        var counting = new CountingReads { HoldFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var reads = Reads(counting);

        var first = reads.FindAsync(ids[0], CancellationToken.None);
        await counting.FirstStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var rest = ids.Skip(1).Select(id => reads.FindAsync(id, CancellationToken.None)).ToList();
        counting.HoldFirst!.SetResult();

        await first;
        Assert.Equal(ids.Skip(1), (await Task.WhenAll(rest)).Select(e => e!.Id));
        Assert.All(counting.Queries, keys => Assert.InRange(keys.Length, 1, BatchedReads<OutboxEvent>.MaxKeysPerQuery));
        Assert.Equal(1 + 2 + 1, counting.Queries.Count);
    }

    [Fact]
    public async Task ACancelledReadStopsWaitingWithoutCancellingTheOthers()
    {
        var ids = await AddEventsAsync(3);
        var counting = new CountingReads { HoldFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var reads = Reads(counting);
        using var cancel = new CancellationTokenSource();

        var first = reads.FindAsync(ids[0], CancellationToken.None);
        await counting.FirstStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var abandoned = reads.FindAsync(ids[1], cancel.Token);
        var kept = reads.FindAsync(ids[2], CancellationToken.None);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        counting.HoldFirst!.SetResult();
        Assert.Equal(ids[0], (await first)!.Id);
        Assert.Equal(ids[2], (await kept)!.Id);
    }

    [Fact]
    public async Task AFailedQueryFailsItsOwnReadsOnlyAndTheNextQueryWorks()
    {
        var ids = await AddEventsAsync(3);
        var counting = new CountingReads
        {
            HoldFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            Fail = keys => keys.Contains(ids[1]) ? new InvalidOperationException("the database went away") : null,
        };
        var reads = Reads(counting);

        var first = reads.FindAsync(ids[0], CancellationToken.None);
        await counting.FirstStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var failing = reads.FindAsync(ids[1], CancellationToken.None);
        counting.HoldFirst!.SetResult();

        Assert.Equal(ids[0], (await first)!.Id);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("the database went away", error.Message);
        Assert.Equal(ids[2], (await reads.FindAsync(ids[2], CancellationToken.None))!.Id);
    }
}
