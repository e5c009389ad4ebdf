using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Data;

/// <summary>
/// Reads rows by key for many concurrent requests with few queries: while one query is out, the keys asked for in the
/// meantime wait and go out together in the next (one <c>WHERE key = ANY(…)</c> for all of them). On a small machine
/// a round trip to the database costs more than the read itself (the system calls and the wake-up of a backend on
/// each side), so a hot read that many partners poll at once is cheaper shared. Under a light load a query carries one
/// key and leaves at once: nothing waits for a batch to fill.
/// <para>
/// Each key's query starts after the request for it arrived, so it sees everything committed before that request:
/// a partner that polls after a change reads the change. Rows come from a context of their own, untracked.
/// </para>
/// </summary>
public sealed class BatchedReads<TRow> where TRow : class
{
    /// <summary>Keys per query: enough to carry every connection of a busy server, small enough for a short query.</summary>
    public const int MaxKeysPerQuery = 256;

    private readonly IDbContextFactory<AppDbContext> contexts;
    private readonly Func<AppDbContext, string[], CancellationToken, Task<List<TRow>>> read;
    private readonly Func<TRow, string> keyOf;
    private readonly ILogger logger;
    private readonly BatchDrain<Waiter> drain;

    /// <param name="read">Reads the rows whose keys are among the given ones (any order, missing keys simply absent).</param>
    /// <param name="keyOf">A row's key, compared ordinally with the key asked for.</param>
    public BatchedReads(IDbContextFactory<AppDbContext> contexts, Func<AppDbContext, string[], CancellationToken, Task<List<TRow>>> read,
        Func<TRow, string> keyOf, ILogger<BatchedReads<TRow>> logger)
    {
        this.contexts = contexts;
        this.read = read;
        this.keyOf = keyOf;
        this.logger = logger;
        drain = new BatchDrain<Waiter>(ReadAsync, Fail, MaxKeysPerQuery);
    }

    /// <summary>The row with that key, or null. Cancelling stops the wait, not the query other requests share.</summary>
    public Task<TRow?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(key);
        drain.Enqueue(waiter);
        return waiter.Task.WaitAsync(cancellationToken);
    }

    private async Task ReadAsync(List<Waiter> batch)
    {
        var keys = batch.Select(w => w.Key).Distinct(StringComparer.Ordinal).ToArray();
        List<TRow> rows;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            rows = await read(db, keys, CancellationToken.None);
        }
        var byKey = rows.ToDictionary(keyOf, StringComparer.Ordinal);
        foreach (var waiter in batch)
        {
            waiter.TrySetResult(byKey.GetValueOrDefault(waiter.Key));
        }
    }

    /// <summary>Every request of the batch answers as a failed read would have; the next batch tries afresh.</summary>
    private void Fail(List<Waiter> batch, Exception exception)
    {
        logger.LogWarning(exception, "A batched read of {Count} keys failed", batch.Count);
        foreach (var waiter in batch)
        {
            waiter.TrySetException(exception);
        }
    }

    private sealed class Waiter(string key) : TaskCompletionSource<TRow?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string Key { get; } = key;
    }
}
