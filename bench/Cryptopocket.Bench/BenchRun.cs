using System.Diagnostics;
using System.Globalization;
using Cryptopocket.Bench.Baselines;
using Cryptopocket.Bench.Load;
using Cryptopocket.Bench.Phases;
using Cryptopocket.Bench.Platform;
using Cryptopocket.Bench.Processes;
using Cryptopocket.Bench.Reporting;

namespace Cryptopocket.Bench;

/// <summary>
/// The whole benchmark, in order: the two baselines (bare endpoint, pgbench), the server on PostgreSQL with its sandbox
/// chain, seeding, the three API loads, the chain baseline, settlement, the webhook burst, peak memory, then start to
/// ready on SQLite. Every child process is stopped whatever happens; a failure exits 1 and keeps the work dir's logs.
/// </summary>
public static class BenchRun
{
    public static async Task<int> RunAsync(BenchSettings settings)
    {
        Directory.CreateDirectory(settings.WorkDir);
        var clock = Stopwatch.StartNew();
        void Log(string message) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}");
        Log($"Benchmark{(settings.Smoke ? " (smoke: tiny counts, figures meaningless)" : "")}: {settings.Connections} connections, " +
            $"{settings.WarmUp.TotalSeconds:0.#} s warm-up + {settings.Duration.TotalSeconds:0.#} s per load, {settings.Transfers} transfers; work dir {settings.WorkDir}");
        var postgres = Postgres.Locate(settings.PostgresServer);
        var context = new RunContext(settings, postgres, Log);
        var cpu = new CpuSampler();
        try
        {
            await context.RunAsync();
        }
        catch (Exception exception) when (exception is BenchFailedException or HttpRequestException or IOException or TaskCanceledException)
        {
            Console.Error.WriteLine($"Benchmark failed: {exception}");
            Console.Error.WriteLine($"Logs are in {settings.WorkDir}");
            return 1;
        }
        finally
        {
            ChildProcesses.KillAll();
        }

        context.Raw.Add($"machine: {cpu.Describe()}");
        var rows = context.Rows;
        var table = ResultsTable.Markdown(rows);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.Write(ResultsTable.Notes(rows));
        var section = Report.Section(settings, context, table, ResultsTable.Notes(rows), settings.SourceNote ?? await MachineInfo.SourceStateAsync(settings.RepositoryRoot));
        await File.WriteAllTextAsync(Path.Combine(settings.WorkDir, "results.md"), section);
        if (settings.DocsPath is { } docs)
        {
            DocsWriter.Write(docs, section);
            Log($"Results written to {docs}");
        }
        CleanUp(settings.WorkDir);
        Log($"Done in {clock.Elapsed:mm\\:ss}; logs and results.md kept in {settings.WorkDir}");
        var missed = rows.Count(r => r.Met == false);
        if (missed > 0)
        {
            Log($"{missed} target(s) missed{(settings.Smoke ? " (smoke: not enforced)" : "")}");
        }
        return settings.Smoke || missed == 0 ? 0 : 3;
    }

    /// <summary>Data dirs go (databases, keystores); logs and the results stay for whoever looks into a figure.</summary>
    private static void CleanUp(string workDir)
    {
        foreach (var directory in Directory.EnumerateDirectories(workDir))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS's temp clean-up.
            }
        }
    }
}
