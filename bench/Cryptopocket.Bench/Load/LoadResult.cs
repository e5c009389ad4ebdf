namespace Cryptopocket.Bench.Load;

/// <summary>
/// What a load measured. <see cref="Succeeded"/> and <see cref="Latency"/> cover requests sent inside the measured
/// window and answered before it closed; errors are counted over the whole run, warm-up included, because "zero errors"
/// means none at all.
/// </summary>
public sealed record LoadResult(
    string Name, int Connections, TimeSpan Window, long Succeeded, long ErrorsInWindow, long ErrorsTotal, long RequestsTotal,
    LatencySummary Latency, IReadOnlyList<string> ErrorSamples)
{
    /// <summary>Successful answers per second in the measured window.</summary>
    public double RequestsPerSecond => Window > TimeSpan.Zero ? Succeeded / Window.TotalSeconds : 0;
}
