using System.Collections.Concurrent;
using System.Data.Common;
using Cryptopocket.Server.Features.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>
/// Wakes the dispatcher the moment an event is committed, so the first attempt does not wait for a poll; and, by event
/// type, other workers that act on what an event says happened (settlement on PAY_IN).
/// </summary>
public sealed class WebhookSignal : IDisposable
{
    private readonly Wakeup _wake = new();
    private readonly ConcurrentDictionary<string, Wakeup> _byType = new(StringComparer.Ordinal);

    /// <summary>
    /// Set by the dispatcher when it starts. A process without one (the command line) has to tell the server's
    /// dispatcher about its commits another way: <see cref="WebhookNotifications"/>.
    /// </summary>
    public bool DispatcherRunsHere { get; set; }

    /// <summary>Wakes the dispatcher alone (its own rounds, redelivery). One wake-up covers every event committed before the dispatcher takes it.</summary>
    public void Notify() => _wake.Set();

    /// <summary>
    /// Events of <paramref name="types"/> were committed: wakes the dispatcher and the waiter on each of those types.
    /// Null means the types are not known (an announcement from a process that does not say): every waiter is woken.
    /// </summary>
    public void Committed(IReadOnlyCollection<string>? types)
    {
        _wake.Set();
        foreach (var (type, wakeup) in _byType)
        {
            if (types is null || types.Contains(type))
            {
                wakeup.Set();
            }
        }
    }

    /// <summary>
    /// Set each time an event of <paramref name="type"/> is committed, in this process or, on PostgreSQL, announced by
    /// another (<see cref="WebhookNotifications"/>). One waiter per type: the wake-up is taken by whoever waits first.
    /// </summary>
    public Wakeup WakeOn(string type) => _byType.GetOrAdd(type, _ => new Wakeup());

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    public void Dispose()
    {
        _wake.Dispose();
        foreach (var wakeup in _byType.Values)
        {
            wakeup.Dispose();
        }
    }
}

/// <summary>
/// Notices saves that add outbox events and signals once they are committed: at once for a save outside a
/// transaction, at the commit for one inside. Where no dispatcher runs in this process, on PostgreSQL, the commit is
/// also announced to the server's (<see cref="WebhookNotifications"/>).
/// </summary>
public sealed class OutboxCommitInterceptor(WebhookSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Mark(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && Take(context, null) is { } types)
        {
            await WebhookNotifications.WakeDispatchersAsync(signal, context.Database, types);
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && Take(context, null) is { } types)
        {
            WebhookNotifications.WakeDispatchers(signal, context.Database, types);
        }
        return result;
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && Take(context, eventData.TransactionId) is { } types)
        {
            await WebhookNotifications.WakeDispatchersAsync(signal, context.Database, types);
        }
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context && Take(context, eventData.TransactionId) is { } types)
        {
            WebhookNotifications.WakeDispatchers(signal, context.Database, types);
        }
    }

    /// <summary>Remembers the types of the events a save adds, until the save or its transaction commits.</summary>
    private static void Mark(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        // Without detecting changes: the save about to run detects them anyway, and an event is Added when it is added
        // (it has no navigation a graph could bring it in by). Detecting here scanned every tracked row twice per save.
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            Remember(context, tracker.Entries<OutboxEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Type));
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// Remembers the types of events written without the change tracker (<see cref="Data.AppendOnlyRows"/>), inside the
    /// context's current transaction: its commit signals them like tracked ones.
    /// </summary>
    public static void Remember(DbContext context, IEnumerable<string> types)
    {
        var transactionId = context.Database.CurrentTransaction?.TransactionId;
        Pending? pending = null;
        foreach (var type in types)
        {
            if (pending is null && (!PendingContexts.TryGetValue(context, out pending) || pending.TransactionId != transactionId))
            {
                // What an earlier transaction of this (pooled) context left, rolled back or disposed uncommitted, is dropped.
                pending = new Pending(transactionId);
                PendingContexts.AddOrUpdate(context, pending);
            }
            pending.Types.Add(type);
        }
    }

    /// <summary>
    /// The types remembered for the transaction that just committed; null for a save outside a transaction (EF's own
    /// transaction commits it). Anything else remembered on the context belonged to a transaction that never
    /// committed: dropped, never signalled.
    /// </summary>
    private static HashSet<string>? Take(DbContext context, Guid? committedTransactionId)
    {
        if (!PendingContexts.TryGetValue(context, out var pending))
        {
            return null;
        }
        PendingContexts.Remove(context);
        return pending.TransactionId is null || pending.TransactionId == committedTransactionId ? pending.Types : null;
    }

    /// <summary>Event types added in one transaction (none: a save outside a transaction), not yet committed.</summary>
    private sealed class Pending(Guid? transactionId)
    {
        public Guid? TransactionId { get; } = transactionId;
        public HashSet<string> Types { get; } = new(StringComparer.Ordinal);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, Pending> PendingContexts = new();
}
