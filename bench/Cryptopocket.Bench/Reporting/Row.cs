using System.Globalization;
using Cryptopocket.Bench.Load;
using Cryptopocket.Bench.Phases;

namespace Cryptopocket.Bench.Reporting;

/// <summary>Table rows from what the phases measured.</summary>
public static class Row
{
    public static PhaseResult Load(string phase, LoadResult load) => new()
    {
        Phase = phase, Rate = load.RequestsPerSecond, P50Ms = load.Latency.P50Ms, P99Ms = load.Latency.P99Ms, MaxMs = load.Latency.MaxMs,
        Errors = load.ErrorsTotal, Notes = ErrorNotes(load),
    };

    public static PhaseResult Ratio(string phase, LoadResult load, double ratio, string of, string target, Func<double, bool> met) =>
        Load(phase, load) with { Ratio = ratio, RatioOf = of, Target = target, Met = met(ratio) };

    public static List<string> ErrorNotes(LoadResult load) =>
        load.ErrorsTotal == 0 ? [] : [$"{load.ErrorsTotal} error(s), e.g. {string.Join(" | ", load.ErrorSamples.Distinct().Take(3))}"];

    /// <summary>
    /// Webhook deliveries as events stream in: latency and completeness are judged; the rate follows the pace events are
    /// made at (settlement's, or the API's in the burst), so the dispatcher's own rate is judged on a redelivered backlog.
    /// </summary>
    public static PhaseResult Deliveries(string phase, DeliveryResult result)
    {
        // A warm-up event that never arrived is as lost as a measured one.
        var lost = result.Expected - result.Delivered + (result.WarmUp is { } w ? w.Expected - w.Delivered : 0);
        var complete = lost == 0;
        var latencyMet = result.Latency.P99Ms < 250;
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{result.Delivered} of {result.Expected} events arrived; span from the first event's created_at to the last arrival {result.Span.TotalSeconds:0.00} s; latency = arrival − created_at"),
        };
        if (result.Generation is { } generation)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"events created through POST /api/webhooks/test at {generation.RequestsPerSecond:0} per second ({generation.RequestsTotal} requests with the warm-up's, {generation.ErrorsTotal} errors)"));
        }
        if (result.WarmUp is { Expected: > 0 } warmUp)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"the warm-up's events, not counted above: {warmUp.Delivered} of {warmUp.Expected} arrived, latency p50 {warmUp.Latency.P50Ms:0} ms, p99 {warmUp.Latency.P99Ms:0} ms, max {warmUp.Latency.MaxMs:0} ms"));
        }
        return new PhaseResult
        {
            Phase = phase,
            Rate = result.PerSecond,
            RateUnit = "deliveries/s",
            P50Ms = result.Latency.P50Ms,
            P99Ms = result.Latency.P99Ms,
            MaxMs = result.Latency.MaxMs,
            Errors = lost,
            Target = "p99 < 250 ms",
            Met = complete && latencyMet,
            Notes = notes,
        };
    }
}
