using System.Globalization;

namespace Cryptopocket.Bench.Processes;

/// <summary>What /proc says about processes: children (to stop a server's node and signer by id), names, and peak memory.</summary>
public static class ProcessTable
{
    /// <summary>Every descendant of <paramref name="root"/>, children first.</summary>
    public static List<int> Descendants(int root)
    {
        var table = Snapshot();
        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var (pid, _) in table.Where(p => p.Parent == current))
            {
                found.Add(pid);
                queue.Enqueue(pid);
            }
        }
        return found;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            // A zombie keeps its /proc entry; its state is Z.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Peak resident set size (VmHWM) in bytes, or null once the process is gone.</summary>
    public static long? PeakRssBytes(int pid) => StatusBytes(pid, "VmHWM");

    public static long? RssBytes(int pid) => StatusBytes(pid, "VmRSS");

    /// <summary>A zombie's status has no Vm lines: null then too.</summary>
    private static long? StatusBytes(int pid, string field) =>
        StatusKilobytes(pid) is { } status && status.TryGetValue(field, out var kilobytes) ? kilobytes * 1024 : null;

    /// <summary>
    /// The sizes /proc/PID/status gives in kB (VmHWM, VmRSS, RssAnon, …) by name, from one read; null once the
    /// process is gone.
    /// </summary>
    public static Dictionary<string, long>? StatusKilobytes(int pid)
    {
        try
        {
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                // "VmRSS:\t  123456 kB"
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var value = line[(colon + 1)..].Trim();
                if (colon > 0 && value.EndsWith(" kB", StringComparison.Ordinal)
                    && long.TryParse(value[..^3], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
                {
                    sizes[line[..colon]] = kilobytes;
                }
            }
            return sizes;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every process whose name (/proc/PID/comm) is <paramref name="name"/>: PostgreSQL's postmaster and backends.</summary>
    public static List<int> PidsNamed(string name)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd('\n') == name)
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }
        return found;
    }

    private static List<(int Pid, int Parent)> Snapshot()
    {
        var table = new List<(int, int)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                table.Add((pid, int.Parse(fields[1], CultureInfo.InvariantCulture)));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // Gone meanwhile.
            }
        }
        return table;
    }
}
