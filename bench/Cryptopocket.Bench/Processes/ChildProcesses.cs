namespace Cryptopocket.Bench.Processes;

/// <summary>
/// Every child still running, so that an aborted benchmark (Ctrl+C, an unhandled exception, SIGTERM from run.sh's
/// trap) leaves no server, node or baseline behind. Normal runs stop each child themselves.
/// </summary>
public static class ChildProcesses
{
    private static readonly HashSet<ChildProcess> Running = [];

    /// <summary>Short commands (the CLI, psql, pgbench) while they run.</summary>
    private static readonly HashSet<System.Diagnostics.Process> Commands = [];
    private static readonly Lock Gate = new();

    public static void Register(System.Diagnostics.Process command)
    {
        lock (Gate)
        {
            Commands.Add(command);
        }
    }

    public static void Unregister(System.Diagnostics.Process command)
    {
        lock (Gate)
        {
            Commands.Remove(command);
        }
    }

    public static void Register(ChildProcess child)
    {
        lock (Gate)
        {
            Running.Add(child);
        }
    }

    public static void Unregister(ChildProcess child)
    {
        lock (Gate)
        {
            Running.Remove(child);
        }
    }

    public static void KillAllOnExit()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    public static void KillAll()
    {
        List<ChildProcess> running;
        List<System.Diagnostics.Process> commands;
        lock (Gate)
        {
            running = [.. Running];
            commands = [.. Commands];
        }
        foreach (var command in commands)
        {
            try
            {
                command.Kill(entireProcessTree: true);
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Finished meanwhile.
            }
        }
        foreach (var child in running)
        {
            child.Kill();
        }
    }
}
