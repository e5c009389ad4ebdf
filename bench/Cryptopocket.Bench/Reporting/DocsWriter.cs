namespace Cryptopocket.Bench.Reporting;

/// <summary>
/// Puts the latest results into docs/performance.md between <c>&lt;!-- bench:begin --&gt;</c> and
/// <c>&lt;!-- bench:end --&gt;</c>, leaving the hand-written rest of the page alone (a missing pair is appended).
/// </summary>
public static class DocsWriter
{
    public const string Begin = "<!-- bench:begin -->";
    public const string End = "<!-- bench:end -->";

    public static void Write(string path, string section)
    {
        var block = $"{Begin}\n{section.TrimEnd()}\n{End}";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Performance\n";
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        text = begin >= 0 && end > begin
            ? text[..begin] + block + text[(end + End.Length)..]
            : text.TrimEnd() + "\n\n## Latest results\n\n" + block + "\n";
        File.WriteAllText(path, text);
    }
}
