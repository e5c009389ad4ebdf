using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Cryptopocket.Bench.Platform;
using Cryptopocket.Bench.Processes;

namespace Cryptopocket.Bench.Baselines;

/// <summary>What pgbench measured: transactions per second and its own latency figures.</summary>
public sealed record PgBenchResult(double Tps, double AverageLatencyMs, long Transactions, long Failed, string CommandLine, string Summary);

/// <summary>
/// The database's ceiling for what createGuidedPayment must do at least once: one single-row INSERT transaction into
/// a small table with a primary key, from <c>-c</c> clients over <c>-j 2</c> threads, on the same server the
/// platform uses (same fsync/synchronous_commit), in a database of its own that is dropped afterwards.
/// </summary>
public static partial class PgBenchBaseline
{
    public static async Task<PgBenchResult> RunAsync(Postgres postgres, int clients, int seconds, string workDir)
    {
        var database = await postgres.CreateDatabaseAsync("cpbench_pgbench");
        try
        {
            await postgres.SqlAsync(database, """
                CREATE TABLE purchases (
                    id bigserial PRIMARY KEY,
                    customer_id bigint NOT NULL,
                    fiat_amount_cents bigint NOT NULL,
                    status text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now())
                """);
            var script = Path.Combine(workDir, "pgbench-insert.sql");
            await File.WriteAllTextAsync(script, """
                \set customer random(1, 1000)
                INSERT INTO purchases (customer_id, fiat_amount_cents, status) VALUES (:customer, 1000, 'started');

                """);
            var start = new ProcessStartInfo(postgres.Tool("pgbench"))
            {
                ArgumentList =
                {
                    "-h", postgres.Host, "-p", postgres.Port, "-U", postgres.User, "-n", "-f", script,
                    "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), database,
                },
            };
            var result = await Cli.RunAsync(start, TimeSpan.FromSeconds(seconds + 120));
            if (result.ExitCode != 0)
            {
                throw new BenchFailedException($"pgbench failed.\n{result}");
            }
            var tps = Tps().Match(result.Stdout);
            var latency = Latency().Match(result.Stdout);
            var processed = Processed().Match(result.Stdout);
            var failed = Failed().Match(result.Stdout);
            if (!tps.Success)
            {
                throw new BenchFailedException($"No tps line in pgbench's output.\n{result}");
            }
            var summary = string.Join("; ", result.Stdout.Split('\n', StringSplitOptions.TrimEntries)
                .Where(l => l.StartsWith("number of transactions actually processed", StringComparison.Ordinal)
                            || l.StartsWith("latency average", StringComparison.Ordinal) || l.StartsWith("tps", StringComparison.Ordinal)));
            return new PgBenchResult(
                double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture),
                latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
                processed.Success ? long.Parse(processed.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
                failed.Success ? long.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
                result.CommandLine.Replace(script, "pgbench-insert.sql", StringComparison.Ordinal), summary);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }

    [GeneratedRegex(@"^tps = ([0-9.]+) \(without initial connection time\)", RegexOptions.Multiline)]
    private static partial Regex Tps();

    [GeneratedRegex(@"^latency average = ([0-9.]+) ms", RegexOptions.Multiline)]
    private static partial Regex Latency();

    [GeneratedRegex(@"^number of transactions actually processed: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex Processed();

    [GeneratedRegex(@"^number of failed transactions: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex Failed();
}
