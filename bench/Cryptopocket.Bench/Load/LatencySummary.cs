using System.Globalization;

namespace Cryptopocket.Bench.Load;

/// <summary>
/// Percentiles of a set of latencies. Every sample is kept (microseconds, sorted once at the end): at the request
/// rates of one machine that is a few megabytes, and exact percentiles need no histogram's bucket error.
/// </summary>
public sealed record LatencySummary(long Count, double P50Ms, double P99Ms, double MaxMs, double MeanMs)
{
    public static readonly LatencySummary Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN);

    public static LatencySummary FromMicroseconds(IEnumerable<long> samples)
    {
        var sorted = samples.ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, Percentile(sorted, 0.50) / 1000.0, Percentile(sorted, 0.99) / 1000.0,
            sorted[^1] / 1000.0, sorted.Average() / 1000.0);
    }

    public static LatencySummary FromMilliseconds(IEnumerable<double> samples) =>
        FromMicroseconds(samples.Select(ms => (long)Math.Round(ms * 1000)));

    /// <summary>Nearest rank: the smallest sample with at least <paramref name="fraction"/> of all samples at or below it.</summary>
    private static long Percentile(long[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    public override string ToString() => Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms, max {MaxMs:0.00} ms ({Count} samples)");
}
