using System.Globalization;
using System.Text.RegularExpressions;

namespace Cryptopocket.Bench.Reporting;

/// <summary>A count of the server's warnings and errors during the run, by kind (the category and the message's shape).</summary>
public static partial class ServerLog
{
    public static string Summary(string logPath)
    {
        if (!File.Exists(logPath))
        {
            return "no server log";
        }
        var lines = File.ReadAllLines(logPath);
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("warn:", StringComparison.Ordinal) && !lines[i].StartsWith("fail:", StringComparison.Ordinal))
            {
                continue;
            }
            var message = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
            var key = $"{lines[i]} {Variable().Replace(message.Length <= 120 ? message : message[..120], "#")}";
            kinds[key] = kinds.GetValueOrDefault(key) + 1;
        }
        return kinds.Count == 0
            ? "the server logged no warning or error"
            : "server warnings/errors: " + string.Join("; ", kinds.OrderByDescending(k => k.Value).Take(6)
                .Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Value}× `{k.Key}`")));
    }

    [GeneratedRegex(@"0x[0-9a-fA-F]+|\{[0-9a-f-]{36}\}|\b[0-9A-Za-z]{25}\b|\d+(\.\d+)?")]
    private static partial Regex Variable();
}
