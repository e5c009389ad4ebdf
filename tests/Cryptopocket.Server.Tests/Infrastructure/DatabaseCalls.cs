using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cryptopocket.Server.Tests.Infrastructure;

/// <summary>Counts what EF sends to the database in this process, from its diagnostic events.</summary>
internal sealed class DatabaseCalls : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable _all;
    private readonly List<IDisposable> _subscriptions = [];
    private long _commands;
    private long _commits;
    private long _savepoints;
    private long _compilations;

    public DatabaseCalls() => _all = DiagnosticListener.AllListeners.Subscribe(this);

    /// <summary>Whose query compilations <see cref="Compilations"/> counts: one context's, not the whole process's.</summary>
    public DbContext? CompilationsOf { get; init; }

    /// <summary>Queries EF compiled for <see cref="CompilationsOf"/> (a query found in EF's cache is not compiled again).</summary>
    public long Compilations => Interlocked.Read(ref _compilations);

    public (long Commands, long Commits, long Savepoints) Snapshot() =>
        (Interlocked.Read(ref _commands), Interlocked.Read(ref _commits), Interlocked.Read(ref _savepoints));

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.EntityFrameworkCore")
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        switch (value.Key)
        {
            case "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted":
                Interlocked.Increment(ref _commands);
                break;
            case "Microsoft.EntityFrameworkCore.Database.Transaction.TransactionCommitted":
                Interlocked.Increment(ref _commits);
                break;
            case "Microsoft.EntityFrameworkCore.Query.QueryCompilationStarting"
                when value.Value is DbContextEventData data && data.Context is { } context && context == CompilationsOf:
                Interlocked.Increment(ref _compilations);
                break;
            case "Microsoft.EntityFrameworkCore.Database.Transaction.CreatedSavepoint":
            case "Microsoft.EntityFrameworkCore.Database.Transaction.ReleasedSavepoint":
                Interlocked.Increment(ref _savepoints);
                break;
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
