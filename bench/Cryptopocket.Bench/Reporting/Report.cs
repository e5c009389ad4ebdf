using System.Globalization;
using System.Text;

namespace Cryptopocket.Bench.Reporting;

/// <summary>The section written between the markers of docs/performance.md (and to the work dir's results.md).</summary>
public static class Report
{
    public static string Section(BenchSettings settings, RunContext context, string table, string notes, string source)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {MachineInfo.Describe()}; {context.PostgresDescription}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured: {source}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{settings.Command}` — {settings.Connections} connections, {settings.WarmUp.TotalSeconds:0.#} s warm-up then " +
            $"{settings.Duration.TotalSeconds:0.#} s measured per load, {settings.Integrations} integrations, {settings.Customers} buyers, {settings.Transfers} transfers, " +
            $"webhook burst of at most {settings.WebhookEvents} events.");
        text.AppendLine();
        text.Append(table);
        text.AppendLine();
        text.AppendLine("Baselines, raw:");
        text.AppendLine();
        foreach (var raw in context.Raw)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {raw}");
        }
        text.AppendLine();
        text.AppendLine("What each phase established:");
        text.AppendLine();
        text.Append(notes);
        return text.ToString();
    }
}
