using System.Globalization;
using System.Text;

namespace Cryptopocket.Bench.Reporting;

/// <summary>The results as a Markdown table (printed, and written into docs/performance.md).</summary>
public static class ResultsTable
{
    public static string Markdown(IReadOnlyList<PhaseResult> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| phase | rate | p50 | p99 | max | errors | ratio | target | met |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|:---:|");
        foreach (var row in rows)
        {
            var rate = row.Rate is { } r ? $"{Number(r)} {row.RateUnit}" : row.Value ?? "";
            var ratio = row.Ratio is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x:0.00}× {row.RatioOf}") : "";
            var met = row.Met switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Phase} | {rate} | {Ms(row.P50Ms)} | {Ms(row.P99Ms)} | {Ms(row.MaxMs)} | {row.Errors?.ToString(CultureInfo.InvariantCulture) ?? ""} | {ratio} | {row.Target} | {met} |");
        }
        return text.ToString();
    }

    public static string Notes(IReadOnlyList<PhaseResult> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows.Where(r => r.Notes.Count > 0))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- **{row.Phase}**: {string.Join("; ", row.Notes.Where(n => n.Length > 0))}.");
        }
        return text.ToString();
    }

    public static string Number(double value) => value switch
    {
        >= 1000 => value.ToString("#,##0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static string Ms(double? value) => value is { } v && !double.IsNaN(v)
        ? v.ToString(v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + " ms"
        : "";
}
