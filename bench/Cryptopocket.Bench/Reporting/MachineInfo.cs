using System.Globalization;
using System.Runtime.InteropServices;
using Cryptopocket.Bench.Processes;

namespace Cryptopocket.Bench.Reporting;

/// <summary>What the figures were measured on: they only mean something next to it.</summary>
public static class MachineInfo
{
    public static string Describe()
    {
        var cpu = Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKb = Read("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} CPUs ({cpu}), {memKb / 1048576.0:0.0} GiB RAM, Linux {Read("/proc/sys/kernel/osrelease").Trim()}, {RuntimeInformation.FrameworkDescription}");
    }

    /// <summary>Which code was measured: the commit, and whether the working tree differed from it (and where).</summary>
    public static async Task<string> SourceStateAsync(string repository)
    {
        try
        {
            var commit = await Processes.Cli.RunAsync(new System.Diagnostics.ProcessStartInfo("git", ["-C", repository, "log", "-1", "--format=%h %s"]), TimeSpan.FromSeconds(10));
            var changes = await Processes.Cli.RunAsync(new System.Diagnostics.ProcessStartInfo("git", ["-C", repository, "status", "--porcelain", "--", "src"]), TimeSpan.FromSeconds(10));
            if (commit.ExitCode != 0)
            {
                return "not a git checkout";
            }
            var changed = changes.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ', 2)[^1].Trim()).ToList();
            var subject = commit.Stdout.Trim();
            return changed.Count == 0
                ? $"commit {subject}"
                : $"commit {subject}, with uncommitted changes to {string.Join(", ", changed.Select(c => c.Replace("src/Cryptopocket.Server/", "", StringComparison.Ordinal)))}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "git not available";
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}

/// <summary>
/// How busy the machine was over the run, from /proc/stat: time stolen by the hypervisor and time used at all. Figures
/// measured while something else ran (another build, a test suite) or on a VM whose host is busy come out low; this
/// says so next to them.
/// </summary>
public sealed class CpuSampler
{
    private readonly (long Busy, long Idle, long Stolen) _start = CpuSnapshot.MachineTicks();
    private readonly string _loadAtStart = LoadAverage();

    public string Describe()
    {
        var end = CpuSnapshot.MachineTicks();
        var (busy, idle, stolen) = (end.Busy - _start.Busy, end.Idle - _start.Idle, end.Stolen - _start.Stolen);
        var total = Math.Max(1, busy + idle + stolen);
        return string.Create(CultureInfo.InvariantCulture,
            $"load average at start {_loadAtStart}; over the run the CPUs were {100.0 * busy / total:0}% busy, {100.0 * stolen / total:0.0}% stolen by the hypervisor");
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
