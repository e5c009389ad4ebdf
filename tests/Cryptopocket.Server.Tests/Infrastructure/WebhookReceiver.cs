using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cryptopocket.Server.Tests.Infrastructure;

/// <summary>A partner's webhook endpoint on loopback: records every request; can be told to be "down".</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <param name="Arrived">When the request came in, and <paramref name="Answered"/> when it was answered (<see cref="System.Diagnostics.Stopwatch"/> ticks): which requests overlapped.</param>
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTime At, long Arrived = 0, long Answered = 0)
    {
        /// <summary>The documented signature check, written independently of the project's signer.</summary>
        public bool IsSignedWith(string apiSecret)
        {
            var message = Body.Concat(Encoding.ASCII.GetBytes(Headers["X-Timestamp"])).ToArray();
            var expected = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiSecret), message)).ToLowerInvariant();
            return expected == Headers["X-Signature"];
        }
    }

    private readonly WebApplication _app;
    private int _failuresLeft;
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>The most requests the receiver was handling at one time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>How long the receiver takes to answer: a slow partner keeps attempts in flight.</summary>
    public TimeSpan Delay { get; set; }
    public Uri BaseAddress { get; private set; } = null!;

    private WebhookReceiver(WebApplication app) => _app = app;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            var arrived = System.Diagnostics.Stopwatch.GetTimestamp();
            var inFlight = Interlocked.Increment(ref receiver._inFlight);
            try
            {
                for (var max = receiver.MaxInFlight; inFlight > max && Interlocked.CompareExchange(ref receiver._maxInFlight, inFlight, max) != max; max = receiver.MaxInFlight)
                {
                }
                using var buffer = new MemoryStream();
                await http.Request.Body.CopyToAsync(buffer);
                await Task.Delay(receiver.Delay);
                if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
                {
                    return Results.Text("down for maintenance", statusCode: 503);
                }
                receiver.Requests.Enqueue(new Received(http.Request.Path, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    buffer.ToArray(), DateTime.UtcNow, arrived, System.Diagnostics.Stopwatch.GetTimestamp()));
                return Results.Text("ok");
            }
            finally
            {
                Interlocked.Decrement(ref receiver._inFlight);
            }
        });
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <summary>The next <paramref name="count"/> requests answer 503 and are not recorded.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<Received, bool> match, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var found = Requests.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Expected {count} matching webhook(s); got {Requests.Count(match)} of {Requests.Count}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
