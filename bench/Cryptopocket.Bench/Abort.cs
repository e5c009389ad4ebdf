using System.Runtime.InteropServices;
using Cryptopocket.Bench.Platform;
using Cryptopocket.Bench.Processes;

namespace Cryptopocket.Bench;

/// <summary>What an interrupted run does: kill its children (by pid), drop the databases it created, exit 130.</summary>
public static class Abort
{
    private static int _aborting;

    public static void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Exchange(ref _aborting, 1) == 1)
        {
            return;
        }
        Console.Error.WriteLine($"Interrupted ({context.Signal}): stopping every process the benchmark started.");
        ChildProcesses.KillAll();
        try
        {
            Postgres.DropCreatedDatabasesAsync().Wait(TimeSpan.FromSeconds(15));
        }
        catch (AggregateException exception)
        {
            Console.Error.WriteLine($"Could not drop the run's databases: {exception.InnerException?.Message}");
        }
        Environment.Exit(130);
    }
}
