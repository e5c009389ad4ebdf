namespace Cryptopocket.Server.Data;

/// <summary>
/// Runs queued work in batches: a drain takes everything queued (up to a maximum) and runs it together; what is queued
/// while every drain is busy waits for the next batch. Nothing waits for a batch to fill, so under a light load a
/// batch is one item and starts at once; under a heavy one, batches grow to what arrived during the last. With more
/// than one drain, a batch can be at the database while the next is being prepared or is on its way.
/// </summary>
/// <remarks>
/// Used where a round trip to the database costs more than the work it carries (docs/performance.md, "Eighth
/// session"). <c>run</c> must settle every item of its batch; if it throws instead, <c>fail</c> settles them.
/// </remarks>
public sealed class BatchDrain<TItem>(Func<List<TItem>, Task> run, Action<List<TItem>, Exception> fail, int maxPerBatch, int maxDrains = 1)
{
    private readonly Lock gate = new();
    private List<TItem> queued = [];
    private int drains;

    public void Enqueue(TItem item)
    {
        bool start;
        lock (gate)
        {
            queued.Add(item);
            start = drains < maxDrains;
            if (start)
            {
                drains++;
            }
        }
        if (start)
        {
            // Not on the caller's own flow: the drain outlives the request that started it and serves others.
            ThreadPool.UnsafeQueueUserWorkItem(static drain => _ = drain.DrainAsync(), this, preferLocal: false);
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<TItem> batch;
            lock (gate)
            {
                if (queued.Count == 0)
                {
                    drains--;
                    return;
                }
                if (queued.Count <= maxPerBatch)
                {
                    batch = queued;
                    queued = [];
                }
                else
                {
                    batch = queued.GetRange(0, maxPerBatch);
                    queued.RemoveRange(0, maxPerBatch);
                }
            }
            try
            {
                await run(batch);
            }
            catch (Exception exception)
            {
                fail(batch, exception);
            }
        }
    }
}
