using System.Diagnostics;
using System.Globalization;
using Cryptopocket.Bench.Processes;

namespace Cryptopocket.Bench.Platform;

/// <summary>
/// The PostgreSQL server the run uses (the one scripts/lib/setup.sh starts), reached with Debian's own client tools:
/// psql to create and drop the run's databases, pgbench for the database's baseline.
/// </summary>
public sealed class Postgres
{
    private Postgres(string server, string binDirectory, string host, string port, string user)
    {
        Server = server;
        BinDirectory = binDirectory;
        Host = host;
        Port = port;
        User = user;
    }

    /// <summary>The Npgsql connection string without a database.</summary>
    public string Server { get; }
    public string BinDirectory { get; }
    public string Host { get; }
    public string Port { get; }
    public string User { get; }

    public string Tool(string name) => Path.Combine(BinDirectory, name);

    public string ConnectionString(string database) => $"{Server.TrimEnd(';')};Database={database}";

    public static Postgres Locate(string server)
    {
        var parts = server.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pgbench")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new BenchFailedException("No /usr/lib/postgresql/*/bin/pgbench: install Debian's postgresql (bench/run.sh does).");
        }
        return new Postgres(server, bin, parts.GetValueOrDefault("Host") ?? "127.0.0.1", parts.GetValueOrDefault("Port") ?? "5432",
            parts.GetValueOrDefault("Username") ?? parts.GetValueOrDefault("User ID") ?? "postgres");
    }

    /// <summary>Runs SQL with psql, stopping at the first error; answers what it printed (unaligned, tuples only).</summary>
    public async Task<string> SqlAsync(string database, string sql)
    {
        var start = new ProcessStartInfo(Tool("psql"))
        {
            ArgumentList = { "-h", Host, "-p", Port, "-U", User, "-d", database, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-A", "-t", "-c", sql },
        };
        var result = await Cli.RunAsync(start, TimeSpan.FromMinutes(2));
        return result.ExitCode == 0 ? result.Stdout.Trim() : throw new BenchFailedException($"psql failed.\n{result}");
    }

    /// <summary>Databases this run created and has not dropped yet, for an interrupted run to drop (see <see cref="Abort"/>).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Postgres> Created = new(StringComparer.Ordinal);

    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await SqlAsync("postgres", $"CREATE DATABASE {name}");
        Created[name] = this;
        return name;
    }

    public async Task DropDatabaseAsync(string name)
    {
        await SqlAsync("postgres", $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        Created.TryRemove(name, out _);
    }

    /// <summary>Forgets a database on purpose (<c>--keep-database</c>).</summary>
    public static void Keep(string name) => Created.TryRemove(name, out _);

    public static async Task DropCreatedDatabasesAsync()
    {
        foreach (var (name, postgres) in Created.ToList())
        {
            await postgres.DropDatabaseAsync(name);
        }
    }

    public async Task<string> VersionAsync() => await SqlAsync("postgres", "SHOW server_version");

    /// <summary>Settings that decide the INSERT ceiling, recorded beside the figures.</summary>
    public async Task<string> DurabilitySettingsAsync() =>
        (await SqlAsync("postgres", "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync','synchronous_commit','max_connections','shared_buffers')"));
}
