using System.Globalization;

namespace Cryptopocket.Bench.Processes;

/// <summary>What /proc says about processes: children (to stop a server's node and signer by id), CPU time, and peak memory.</summary>
public static class ProcessTable
{
    /// <summary>Every descendant of <paramref name="root"/>, children first.</summary>
    public static List<int> Descendants(int root) => [.. Descendants(Snapshot(), root).Select(p => p.Pid)];

    /// <summary>Every descendant of <paramref name="root"/> in <paramref name="table"/>, children first.</summary>
    public static List<ProcessStat> Descendants(IReadOnlyList<ProcessStat> table, int root)
    {
        var found = new List<ProcessStat>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var child in table.Where(p => p.Parent == current))
            {
                found.Add(child);
                queue.Enqueue(child.Pid);
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

    /// <summary>Every process on the machine, each from one read of its /proc/PID/stat.</summary>
    public static List<ProcessStat> Snapshot()
    {
        var table = new List<ProcessStat>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'. Counted
                // from "state" (field 3): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
                table.Add(new ProcessStat(pid, (int)Field(4), stat[(stat.IndexOf('(') + 1)..close], Field(14) + Field(15), Field(16) + Field(17)));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException
                                              or IndexOutOfRangeException)
            {
                // Gone meanwhile.
            }
        }
        return table;
    }
}

/// <summary>
/// A process as its /proc/PID/stat describes it: its parent, its name (comm), and its CPU time in clock ticks, its
/// own threads' (<paramref name="Ticks"/>) and that of the children it has waited for (<paramref name="ChildTicks"/>).
/// </summary>
public readonly record struct ProcessStat(int Pid, int Parent, string Name, long Ticks, long ChildTicks);
