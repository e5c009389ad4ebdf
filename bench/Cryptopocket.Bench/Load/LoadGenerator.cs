using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace Cryptopocket.Bench.Load;

/// <summary>
/// The load generator: a fixed number of HTTP/1.1 connections over loopback (one <see cref="SocketsHttpHandler"/>
/// with <c>MaxConnectionsPerServer</c> = connections, so each loop keeps its own), each running a closed loop.
/// Latency is measured from just before the request is handed to the handler to the last byte of the answer.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(LoadSpec spec, CancellationToken cancellationToken = default)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = spec.Connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        using var client = new HttpClient(handler) { BaseAddress = spec.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(spec.WarmUp.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(spec.Duration.TotalSeconds * Stopwatch.Frequency);
        var issued = 0L;
        var errors = new ConcurrentQueue<string>();
        var workers = Enumerable.Range(0, spec.Connections)
            .Select(connection => Task.Run(() => LoopAsync(connection), cancellationToken))
            .ToArray();
        var results = await Task.WhenAll(workers);
        var latencies = results.SelectMany(r => r.Latencies);
        return new LoadResult(
            spec.Name, spec.Connections, spec.Duration,
            results.Sum(r => r.Succeeded), results.Sum(r => r.ErrorsInWindow), results.Sum(r => r.ErrorsTotal), results.Sum(r => r.Requests),
            LatencySummary.FromMicroseconds(latencies), [.. errors.Take(5)]);

        async Task<Worker> LoopAsync(int connection)
        {
            var worker = new Worker();
            for (var sequence = 0L; ; sequence++)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= measureTo || cancellationToken.IsCancellationRequested || Interlocked.Increment(ref issued) > spec.MaxRequests)
                {
                    return worker;
                }
                var context = new LoadContext(connection, sequence, sent >= measureFrom);
                bool ok;
                string? error = null;
                try
                {
                    using var request = spec.NewRequest(context);
                    request.Version = HttpVersion.Version11;
                    request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                    var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    ok = spec.Judge(context, response, body);
                    if (!ok)
                    {
                        error = $"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300))}";
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    ok = false;
                    error = $"{exception.GetType().Name}: {exception.Message}";
                }
                var answered = Stopwatch.GetTimestamp();
                worker.Requests++;
                var inWindow = context.Measured && answered <= measureTo;
                if (ok && inWindow)
                {
                    worker.Succeeded++;
                    worker.Latencies.Add((answered - sent) * 1_000_000 / Stopwatch.Frequency);
                }
                else if (!ok)
                {
                    worker.ErrorsTotal++;
                    worker.ErrorsInWindow += inWindow ? 1 : 0;
                    if (errors.Count < 5)
                    {
                        errors.Enqueue(error!);
                    }
                }
            }
        }
    }

    /// <summary>One loop's own tallies: nothing shared between loops while the load runs.</summary>
    private sealed class Worker
    {
        public List<long> Latencies { get; } = new(64 * 1024);
        public long Succeeded { get; set; }
        public long ErrorsInWindow { get; set; }
        public long ErrorsTotal { get; set; }
        public long Requests { get; set; }
    }
}
