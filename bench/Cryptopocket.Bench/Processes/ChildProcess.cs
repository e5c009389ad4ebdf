using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cryptopocket.Bench.Processes;

/// <summary>
/// A long-running process the benchmark started (the server, the bare baseline): its output goes to a log file and
/// a bounded in-memory tail; it is stopped with SIGTERM (so the server takes its node and signer down) and, if that
/// does not work, killed together with every descendant, by pid.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 400;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();
    private readonly StringBuilder _watched = new();
    private List<int> _descendants = [];

    private ChildProcess(Process process, string logPath, string description)
    {
        _process = process;
        LogPath = logPath;
        Description = description;
        _log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
    }

    public string LogPath { get; }
    public string Description { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>When the process was started, from the benchmark's monotonic clock.</summary>
    public long StartedAt { get; private set; }

    public static ChildProcess Start(ProcessStartInfo start, string logPath, string description)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, logPath, description);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child.StartedAt = Stopwatch.GetTimestamp();
        process.Start();
        ChildProcesses.Register(child);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines it printed, for error messages.</summary>
    public string Tail
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>Whether it has printed <paramref name="text"/> (kept for the first 64 KiB of output, enough for start-up lines).</summary>
    public bool HasPrinted(string text)
    {
        lock (_gate)
        {
            return _watched.ToString().Contains(text, StringComparison.Ordinal);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
            if (_watched.Length < 64 * 1024)
            {
                _watched.Append(line).Append('\n');
            }
        }
    }

    /// <summary>Notes its current descendants, so that they can be killed even if it dies first and they are re-parented.</summary>
    public void RememberDescendants()
    {
        if (!_process.HasExited)
        {
            _descendants = [.. _descendants.Union(ProcessTable.Descendants(_process.Id))];
        }
    }

    /// <summary>SIGTERM, then up to <paramref name="grace"/> for it to exit; answers whether it exited by itself.</summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return true;
        }
        RememberDescendants();
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync();
        }
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed below.
        }
        var exited = _process.HasExited;
        Kill();
        return exited;
    }

    /// <summary>SIGKILL to it and every descendant still alive (by pid, never by name).</summary>
    public void Kill()
    {
        RememberDescendants();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        foreach (var pid in _descendants.Where(ProcessTable.IsAlive))
        {
            try
            {
                using var orphan = Process.GetProcessById(pid);
                orphan.Kill(entireProcessTree: true);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGKILL was sent; nothing more to do.
        }
        ChildProcesses.Unregister(this);
        lock (_gate)
        {
            _log.Dispose();
        }
        _process.Dispose();
    }
}
