using System.Data.Common;
using Cryptopocket.Server.Features.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>Wakes the dispatcher the moment an event is committed, so the first attempt does not wait for a poll.</summary>
public sealed class WebhookSignal : IDisposable
{
    private readonly Wakeup _wake = new();

    /// <summary>
    /// Set by the dispatcher when it starts. A process without one (the command line) has to tell the server's
    /// dispatcher about its commits another way: <see cref="WebhookNotifications"/>.
    /// </summary>
    public bool DispatcherRunsHere { get; set; }

    /// <summary>One wake-up covers every event committed before the dispatcher takes it.</summary>
    public void Notify() => _wake.Set();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _wake.Dispose();
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
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && Take(context))
        {
            await WebhookNotifications.WakeDispatchersAsync(signal, context.Database);
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && Take(context))
        {
            WebhookNotifications.WakeDispatchers(signal, context.Database);
        }
        return result;
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && Take(context))
        {
            await WebhookNotifications.WakeDispatchersAsync(signal, context.Database);
        }
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context && Take(context))
        {
            WebhookNotifications.WakeDispatchers(signal, context.Database);
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
