using System.Globalization;

namespace Cryptopocket.Bench.Processes;

/// <summary>What a process's resident memory was made of at its highest moment.</summary>
/// <remarks>
/// VmHWM says how high resident memory went but not of what. The kernel's split (anonymous: the GC heap and native
/// allocations; file: mapped assemblies and libraries; shared: the runtime's double-mapped executable memory) tells
/// which kind of fix could lower a peak, so the benchmark samples it and keeps the sample with the most resident.
/// </remarks>
public sealed record MemorySample(long RssKb, long AnonKb, long FileKb, long ShmemKb)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{RssKb / 1000.0:0} (anon {AnonKb / 1000.0:0}, file {FileKb / 1000.0:0}, shared {ShmemKb / 1000.0:0})");

    public static MemorySample? Read(int pid) =>
        ProcessTable.StatusKilobytes(pid) is { } status
        && status.TryGetValue("VmRSS", out var rss) && status.TryGetValue("RssAnon", out var anon)
        && status.TryGetValue("RssFile", out var file) && status.TryGetValue("RssShmem", out var shmem)
            ? new MemorySample(rss, anon, file, shmem)
            : null;
}

/// <summary>Reads a process's memory every few milliseconds and keeps, per phase, the sample with the most resident.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private MemorySample? _highest;

    public MemorySampler(int pid) => _loop = SampleAsync(pid, _stop.Token);

    /// <summary>The highest sample since the last call (or the start), and a fresh start for the next phase.</summary>
    public MemorySample? TakeHighest()
    {
        lock (_gate)
        {
            var highest = _highest;
            _highest = null;
            return highest;
        }
    }

    private async Task SampleAsync(int pid, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            if (MemorySample.Read(pid) is not { } sample)
            {
                return;
            }
            lock (_gate)
            {
                if (_highest is null || sample.RssKb > _highest.RssKb)
                {
                    _highest = sample;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stop));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
