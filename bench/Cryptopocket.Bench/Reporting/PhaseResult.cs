namespace Cryptopocket.Bench.Reporting;

/// <summary>
/// One row of the results table. <see cref="Rate"/> is per second in the row's own unit (requests, transactions,
/// deliveries); a row without a rate (memory, start-up) leaves it null and says what it measured in <see cref="Value"/>.
/// <see cref="Met"/> is null for baselines, which have no target.
/// </summary>
public sealed record PhaseResult
{
    public required string Phase { get; init; }
    public double? Rate { get; init; }
    public string RateUnit { get; init; } = "req/s";
    public double? P50Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? MaxMs { get; init; }
    public long? Errors { get; init; }

    /// <summary>A figure that is not a rate (peak RSS, time to ready), already formatted with its unit.</summary>
    public string? Value { get; init; }

    public double? Ratio { get; init; }
    public string? RatioOf { get; init; }
    public string Target { get; init; } = "";
    public bool? Met { get; init; }

    /// <summary>What else the phase established (counts, checks), printed under the table.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public PhaseResult WithNote(string note) => this with { Notes = [.. Notes, note] };
}
