using System.Diagnostics;
using System.Globalization;

namespace Cryptopocket.Bench.Processes;

/// <summary>
/// CPU time used so far, by whom: the server, its sandbox chain (node and signer), PostgreSQL, the benchmark itself,
/// and the machine as a whole. Two of them taken around a phase say where the phase's CPU went.
/// </summary>
/// <remarks>
/// On two CPUs every process of a phase competes with every other: a target that needs more CPU than the phase can
/// have is out of reach whatever the server does, and the split shows whether that is so. All figures are in clock
/// ticks (USER_HZ, 100 a second on Linux). A process's own time counts its live threads; the time of its children
/// that ended counts in its own children's time once it has waited for them, so PostgreSQL's backends that exit
/// within a phase still count (the postmaster waits for them). The benchmark's own figure leaves out its children:
/// the command-line processes it runs (bank import, webhooks redeliver, pgbench) count as "other" with anything else
/// on the machine.
/// </remarks>
public sealed record CpuSnapshot(long Timestamp, long MachineBusy, long MachineIdle, long MachineStolen, long Server, long Chain, long Postgres, long Bench)
{
    private const double TicksPerSecond = 100;

    public static CpuSnapshot Take(int serverPid)
    {
        var (busy, idle, stolen) = MachineTicks();
        var table = ProcessTable.Snapshot();
        long Own(int pid) => table.Where(p => p.Pid == pid).Sum(p => p.Ticks);
        var chain = ProcessTable.Descendants(table, serverPid).Sum(p => p.Ticks + p.ChildTicks);
        var postgres = table.Where(p => p.Name == "postgres").Sum(p => p.Ticks + p.ChildTicks);
        return new CpuSnapshot(Stopwatch.GetTimestamp(), busy, idle, stolen, Own(serverPid), chain, postgres, Own(Environment.ProcessId));
    }

    /// <summary>"CPU over 2.4 s on 2 CPUs: server 1.10 s, …": where the CPU went between <paramref name="start"/> and this.</summary>
    public string Since(CpuSnapshot start)
    {
        // Monotonic: the VM's wall clock may be stepped while the benchmark runs.
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        double Seconds(long ticks) => ticks / TicksPerSecond;
        var server = Seconds(Server - start.Server);
        var chain = Seconds(Chain - start.Chain);
        var postgres = Seconds(Postgres - start.Postgres);
        var bench = Seconds(Bench - start.Bench);
        var busy = Seconds(MachineBusy - start.MachineBusy);
        // Processes that came and went between the two readings without a waiting parent among ours are in the
        // machine's figure only; so is anything not ours.
        var other = Math.Max(0, busy - server - chain - postgres - bench);
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU over {wall:0.0} s on {Environment.ProcessorCount} CPUs: server {server:0.00} s, PostgreSQL {postgres:0.00} s, chain node and signer {chain:0.00} s, " +
            $"benchmark {bench:0.00} s, other (the CLI commands it ran, anything else) {other:0.00} s, idle {Seconds(MachineIdle - start.MachineIdle):0.00} s, " +
            $"stolen {Seconds(MachineStolen - start.MachineStolen):0.00} s");
    }

    /// <summary>The machine's busy, idle (with I/O wait) and stolen ticks since boot, from /proc/stat.</summary>
    public static (long Busy, long Idle, long Stolen) MachineTicks()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            // user nice system idle iowait irq softirq steal
            var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (v[0] + v[1] + v[2] + v[5] + v[6], v[3] + v[4], v[7]);
        }
        catch (IOException)
        {
            return (0, 0, 0);
        }
    }
}
