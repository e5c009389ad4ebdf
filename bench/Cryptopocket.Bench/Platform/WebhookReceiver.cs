using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Cryptopocket.Bench.Platform;

/// <summary>One event as it first arrived: its type, the server's <c>created_at</c>, when it arrived, and the resource id.</summary>
public sealed record ReceivedEvent(string EventId, string Type, DateTime CreatedAt, DateTime ReceivedAt, string? ResourceId)
{
    /// <summary>From the event's commit (its created_at is set in the committing transaction) to its first arrival.</summary>
    public double LatencyMs => (ReceivedAt - CreatedAt).TotalMilliseconds;
}

/// <summary>
/// A loopback webhook receiver in the benchmark's process (Kestrel, answering 200 at once). It keeps the first arrival
/// of each event id and the time of the second; retries and redeliveries are counted as duplicates. The signature is
/// not checked: the SDK's verifier has its own tests, and checking it here would only slow the receiver being measured
/// against.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ReceivedEvent> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _secondArrivals = new(StringComparer.Ordinal);
    private long _duplicates;
    private long _unreadable;

    private WebhookReceiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Unreadable => Interlocked.Read(ref _unreadable);
    public ICollection<ReceivedEvent> Events => _events.Values;

    public Uri UrlFor(Partner partner) => new(BaseAddress, $"/hooks/{partner.Index}");

    public bool TryGet(string eventId, out ReceivedEvent? received) => _events.TryGetValue(eventId, out received);

    /// <summary>When an event arrived the second time (a redelivery), if it has.</summary>
    public bool TryGetSecondArrival(string eventId, out DateTime receivedAt) => _secondArrivals.TryGetValue(eventId, out receivedAt);

    public static async Task<WebhookReceiver> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapPost("/hooks/{partner}", async (HttpContext http) =>
        {
            var receivedAt = DateTime.UtcNow;
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            receiver.Record(body.RootElement, receivedAt);
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    private void Record(JsonElement body, DateTime receivedAt)
    {
        var id = body.Text("id");
        var type = body.Text("type");
        if (id is null || type is null || !DateTime.TryParse(body.Text("created_at"), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var createdAt))
        {
            Interlocked.Increment(ref _unreadable);
            return;
        }
        var resource = body.TryGetProperty("data", out var data) ? data.Text("id") : null;
        if (!_events.TryAdd(id, new ReceivedEvent(id, type, createdAt, receivedAt, resource)))
        {
            Interlocked.Increment(ref _duplicates);
            _secondArrivals.TryAdd(id, receivedAt);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
