using System.Data.Common;
using Cryptopocket.Server.Features.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>Wakes the dispatcher the moment an event is committed, so the first attempt does not wait for a poll.</summary>
public sealed class WebhookSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Notify()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled; one wake-up covers every event committed before it is taken.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _wake.Dispose();
}

/// <summary>
/// Notices saves that add outbox events and signals once they are committed: at once for a save outside a
/// transaction, at the commit for one inside.
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

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && Take(context))
        {
            signal.Notify();
        }
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && Take(context))
        {
            signal.Notify();
        }
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && Take(context))
        {
            signal.Notify();
        }
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context && Take(context))
        {
            signal.Notify();
        }
    }

    private static readonly object Pending = new();

    private static void Mark(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<OutboxEvent>().Any(e => e.State == EntityState.Added))
        {
            PendingContexts.AddOrUpdate(context, Pending);
        }
    }

    private static bool Take(DbContext context) => PendingContexts.Remove(context);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> PendingContexts = new();
}
