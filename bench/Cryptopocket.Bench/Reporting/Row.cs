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
        var complete = result.Delivered == result.Expected;
        var latencyMet = result.Latency.P99Ms < 250;
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{result.Delivered} of {result.Expected} events arrived; span from the first event's created_at to the last arrival {result.Span.TotalSeconds:0.00} s; latency = arrival − created_at"),
        };
        if (result.Generation is { } generation)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"events created through POST /api/webhooks/test at {generation.RequestsPerSecond:0} per second ({generation.RequestsTotal} requests, {generation.ErrorsTotal} errors)"));
        }
        return new PhaseResult
        {
            Phase = phase,
            Rate = result.PerSecond,
            RateUnit = "deliveries/s",
            P50Ms = result.Latency.P50Ms,
            P99Ms = result.Latency.P99Ms,
            MaxMs = result.Latency.MaxMs,
            Errors = result.Expected - result.Delivered,
            Target = "p99 < 250 ms",
            Met = complete && latencyMet,
            Notes = notes,
        };
    }
}
