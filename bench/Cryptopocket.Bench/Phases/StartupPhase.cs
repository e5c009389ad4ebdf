using System.Diagnostics;
using System.Globalization;
using Cryptopocket.Bench.Processes;

namespace Cryptopocket.Bench.Phases;

/// <summary>
/// Start to ready: <c>cryptopocket serve --no-chain</c> on SQLite with a fresh data dir (so it migrates and creates the
/// sandbox integration, as a first start does), timed from the process start to the first 200 on /health/ready,
/// polled every 10 ms. Runs alone, after the PostgreSQL server under load has been stopped.
/// </summary>
public static class StartupPhase
{
    public static async Task<List<double>> RunAsync(BenchSettings settings)
    {
        var times = new List<double>();
        for (var run = 1; run <= settings.StartRuns; run++)
        {
            var dataDir = Path.Combine(settings.WorkDir, $"startup-{run}");
            Directory.CreateDirectory(dataDir);
            var port = FreePorts.Next();
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            await using var server = ChildProcess.Start(
                Cli.Dotnet(settings.ServerDll, ["serve", "--no-chain", "--urls", baseAddress.ToString().TrimEnd('/'), "--data-dir", dataDir], settings.ServerEnvironment),
                Path.Combine(settings.WorkDir, $"startup-{run}.log"), "cryptopocket serve --no-chain");
            await Http.WaitForAsync(baseAddress, "/health/ready", server, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10));
            times.Add(Stopwatch.GetElapsedTime(server.StartedAt).TotalMilliseconds);
            await server.StopAsync(TimeSpan.FromSeconds(10));
        }
        return times;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Describe(IReadOnlyList<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture) + " ms"));
}
