using System.Globalization;

namespace Cryptopocket.Bench;

/// <summary>
/// What one run measures and how hard. Smoke keeps every phase but shrinks every duration and count so that CI can run
/// the whole benchmark in well under a minute of load and notice when it stops working; its numbers mean nothing.
/// </summary>
public sealed record BenchSettings
{
    public required string ServerDll { get; init; }
    public required string RepositoryRoot { get; init; }

    /// <summary>The PostgreSQL server (no database), as scripts/lib/setup.sh exports it in CRYPTOPOCKET_TEST_PG.</summary>
    public required string PostgresServer { get; init; }

    public bool Smoke { get; init; }

    /// <summary>Keep the server's database afterwards (its name is printed), for EXPLAIN ANALYZE on what the run left.</summary>
    public bool KeepDatabase { get; init; }
    public TimeSpan Duration { get; init; }
    public TimeSpan WarmUp { get; init; }
    public int Connections { get; init; }
    public int Transfers { get; init; }
    public int WebhookEvents { get; init; }
    public int Integrations { get; init; }
    public int Customers { get; init; }
    public int StartRuns { get; init; }
    public string? DocsPath { get; init; }
    public string Command { get; init; } = "./bench/run.sh";

    /// <summary>What the measured server is, when not the repository's working tree as built by run.sh (BENCH_SERVER_DLL).</summary>
    public string? SourceNote { get; init; }
    public required string WorkDir { get; init; }

    /// <summary>
    /// Extra environment for the server processes only (<c>--server-env NAME=VALUE</c>, repeatable), to measure a
    /// runtime setting's effect (say DOTNET_gcServer=1) without changing the load generator or the baselines.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Npgsql settings appended to the server's connection string (<c>--db-options "Max Auto Prepare=20"</c>).</summary>
    public string DatabaseOptions { get; init; } = "";

    /// <summary>
    /// pgbench's duration: the same window as the HTTP phases, whole seconds (pgbench's -T), at least three. pgbench's
    /// clock runs while it opens its connections: on a busy two-core machine 64 of them once took the whole of a smoke
    /// run's one second, so it processed nothing, printed no tps line, and the run failed.
    /// </summary>
    public int PgBenchSeconds => Math.Max(3, (int)Math.Round(Duration.TotalSeconds));

    public static BenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var serverEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        var smoke = false;
        var keepDatabase = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--smoke")
            {
                smoke = true;
                continue;
            }
            if (args[i] == "--keep-database")
            {
                keepDatabase = true;
                continue;
            }
            if (args[i] == "--server-env" && i + 1 < args.Length && args[i + 1].IndexOf('=', StringComparison.Ordinal) > 0)
            {
                var pair = args[++i].Split('=', 2);
                serverEnvironment[pair[0]] = pair[1];
                continue;
            }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new BenchUsageException($"Unexpected argument '{args[i]}'.");
            }
            values[args[i][2..]] = args[++i];
        }
        string Required(string name) =>
            values.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new BenchUsageException($"--{name} is required.");
        double Number(string name, double normal, double smokeValue)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return smoke ? smokeValue : normal;
            }
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : throw new BenchUsageException($"--{name} must be a positive number, not '{text}'.");
        }

        var connections = (int)Number("connections", 64, 64);
        var serverDll = Path.GetFullPath(Required("server-dll"));
        if (!File.Exists(serverDll))
        {
            throw new BenchUsageException($"--server-dll {serverDll} does not exist; build src/Cryptopocket.Server in Release first (bench/run.sh does).");
        }
        var unknown = values.Keys.Except(Known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new BenchUsageException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
        return new BenchSettings
        {
            ServerDll = serverDll,
            RepositoryRoot = Path.GetFullPath(Required("repo")),
            PostgresServer = Required("pg"),
            Smoke = smoke,
            KeepDatabase = keepDatabase,
            Duration = TimeSpan.FromSeconds(Number("duration", 10, 1)),
            WarmUp = TimeSpan.FromSeconds(Number("warmup", 15, 0.5)),
            Connections = connections,
            Transfers = (int)Number("transfers", 1000, 20),
            WebhookEvents = (int)Number("webhook-events", 50_000, 2_000),
            Integrations = (int)Number("integrations", 8, 2),
            Customers = (int)Number("customers", 16 * connections, 4),
            StartRuns = smoke ? 1 : 3,
            DocsPath = smoke ? null : values.GetValueOrDefault("docs"),
            Command = values.GetValueOrDefault("command") ?? "./bench/run.sh",
            ServerEnvironment = serverEnvironment,
            SourceNote = values.GetValueOrDefault("source-note"),
            DatabaseOptions = values.GetValueOrDefault("db-options") ?? "",
            WorkDir = values.TryGetValue("work-dir", out var dir)
                ? Path.GetFullPath(dir)
                : Path.Combine(Path.GetTempPath(), $"cryptopocket-bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}"),
        };
    }

    private static readonly string[] Known =
        ["server-dll", "repo", "pg", "duration", "warmup", "connections", "transfers", "webhook-events", "integrations", "customers", "docs", "command", "work-dir", "db-options", "source-note"];
}
