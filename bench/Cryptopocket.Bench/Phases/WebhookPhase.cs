using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cryptopocket.Bench.Load;
using Cryptopocket.Bench.Platform;

namespace Cryptopocket.Bench.Phases;

/// <summary>What a set of expected events did at the receiver.</summary>
public sealed record DeliveryResult(int Expected, int Delivered, TimeSpan Span, LatencySummary Latency, LoadResult? Generation)
{
    /// <summary>The ids of the events expected (the burst's, for the redelivery that follows it).</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];

    /// <summary>The burst's warm-up: its events were delivered too, but are not what the row measures.</summary>
    public DeliveryResult? WarmUp { get; init; }

    /// <summary>First attempts per second: delivered events over the span from the first event's commit to the last arrival.</summary>
    public double PerSecond => Span > TimeSpan.Zero ? Delivered / Span.TotalSeconds : 0;
}

/// <summary>What a redelivered backlog did: deliveries made due at once, how many arrived again and over what span.</summary>
public sealed record DrainResult(int Scheduled, int Redelivered, TimeSpan Span, TimeSpan Command, int? Expected)
{
    public double PerSecond => Span > TimeSpan.Zero ? Redelivered / Span.TotalSeconds : 0;
}

/// <summary>
/// Webhook delivery. The burst: every partner's connections ask for WEBHOOK_TEST events (POST /api/webhooks/test, the
/// PAY_IN and COINS_SENT subscriptions in turn) as fast as the API creates them, bounded in count and time; each is
/// committed to the outbox and must reach the loopback receiver. Rate = events delivered / (last arrival − first
/// event's created_at); latency = arrival − created_at. Like every other load it has a warm-up: the events made during
/// it are delivered as well, but only those made in the measured window are counted (the warm-up's are summarised on
/// their own).
/// </summary>
public static class WebhookPhase
{
    public static readonly string[] SubscribedTypes = ["PAY_IN", "COINS_SENT"];

    /// <summary>
    /// One WEBHOOK_TEST event to each subscription, awaited at the receiver (bounded), before anything is measured. The
    /// receiver runs in this process and its first requests pay for compiling its request path, as the server's first
    /// delivery run pays for its queries: without this, the first window of settlement's PAY_IN deliveries took 135 ms
    /// to be answered (0.4–1.7 ms warm), and every later PAY_IN queued behind it.
    /// </summary>
    public static async Task WarmUpAsync(PartnerApi api, IReadOnlyList<Partner> partners, WebhookReceiver receiver)
    {
        var ids = new List<string>();
        foreach (var partner in partners)
        {
            foreach (var type in SubscribedTypes)
            {
                var answer = await api.SendAsync(PartnerApi.Request(HttpMethod.Post, "/api/webhooks/test", partner, Http.JsonBody($$"""{"type":"{{type}}"}""")));
                ids.Add(answer.GetProperty("data").Text("event_id")!);
            }
        }
        var warmed = await AwaitAsync(receiver, ids, TimeSpan.FromSeconds(30));
        if (warmed.Delivered < ids.Count)
        {
            throw new BenchFailedException($"Only {warmed.Delivered} of {ids.Count} warm-up webhook events reached the receiver within 30 s.");
        }
    }

    public static async Task<DeliveryResult> BurstAsync(BenchSettings settings, Uri server, Seed seed, WebhookReceiver receiver)
    {
        var expected = new ConcurrentBag<string>();
        var warmUp = new ConcurrentBag<string>();
        var generation = await LoadGenerator.RunAsync(new LoadSpec
        {
            Name = "webhook events",
            BaseAddress = server,
            Connections = settings.Connections,
            // Without one, the burst was the one load measured from a cold start: its first three seconds, with the
            // server compiling the test endpoint's and the lanes' hot code again at tier 1, had p99s of 320–400 ms
            // against 210–250 after (docs/performance.md, "Seventeenth session").
            WarmUp = settings.WarmUp,
            Duration = settings.Duration,
            MaxRequests = settings.WebhookEvents,
            NewRequest = context => PartnerApi.Request(HttpMethod.Post, "/api/webhooks/test", seed.Partners[context.Connection % seed.Partners.Count],
                Http.JsonBody($$"""{"type":"{{SubscribedTypes[context.Sequence % 2]}}"}""")),
            Judge = (context, response, body) =>
            {
                if (!response.IsSuccessStatusCode || !Http.Contains(body, "\"event_id\""u8))
                {
                    return false;
                }
                using var answer = JsonDocument.Parse(body);
                (context.Measured ? expected : warmUp).Add(answer.RootElement.GetProperty("data").Text("event_id")!);
                return true;
            },
        });
        var timeout = TimeSpan.FromSeconds(settings.Smoke ? 30 : 120);
        List<string> ids = [.. expected];
        var measured = await AwaitAsync(receiver, ids, timeout);
        return measured with { Generation = generation, EventIds = ids, WarmUp = await AwaitAsync(receiver, [.. warmUp], timeout) };
    }

    /// <summary>
    /// The dispatcher's own capacity, which the burst cannot show once it keeps up with the API creating events: an
    /// operator's <c>cryptopocket webhooks redeliver --from --to</c> over the burst's events makes all their deliveries
    /// due at once (what happens after a receiver's outage), and the rate is deliveries over the span from the first
    /// to the last second arrival.
    /// </summary>
    public static async Task<DrainResult> RedeliverAsync(BenchSettings settings, CryptopocketServer server, WebhookReceiver receiver, IReadOnlyList<string> eventIds)
    {
        var firsts = eventIds.Select(id => receiver.TryGet(id, out var e) ? e : null).OfType<ReceivedEvent>().ToList();
        if (firsts.Count == 0)
        {
            return new DrainResult(0, 0, TimeSpan.Zero, TimeSpan.Zero, null);
        }
        // created_at is the event's occurred_at, the column the range selects on; the burst is the only thing making
        // events by then, and a second past the last one covers any rounding of the wire format.
        var from = firsts.Min(e => e.CreatedAt);
        var to = firsts.Max(e => e.CreatedAt).AddSeconds(1);
        var command = Stopwatch.StartNew();
        var result = await server.RunAsync("webhooks", "redeliver", "--from", from.ToString("O", CultureInfo.InvariantCulture),
            "--to", to.ToString("O", CultureInfo.InvariantCulture), "--json");
        var commandTime = command.Elapsed;
        var scheduled = result.Json().GetProperty("redelivery_scheduled").GetInt32();
        var waited = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(settings.Smoke ? 30 : 120);
        while (firsts.Any(e => !receiver.TryGetSecondArrival(e.EventId, out _)) && waited.Elapsed < timeout)
        {
            await Task.Delay(100);
        }
        var seconds = firsts.Select(e => receiver.TryGetSecondArrival(e.EventId, out var at) ? at : (DateTime?)null).OfType<DateTime>().ToList();
        var span = seconds.Count > 1 ? seconds.Max() - seconds.Min() : TimeSpan.Zero;
        return new DrainResult(scheduled, seconds.Count, span, commandTime, firsts.Count);
    }

    /// <summary>Waits (bounded) until every expected event id has arrived, then summarises what arrived.</summary>
    public static async Task<DeliveryResult> AwaitAsync(WebhookReceiver receiver, IReadOnlyCollection<string> expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (expected.Any(id => !receiver.TryGet(id, out _)) && clock.Elapsed < timeout)
        {
            await Task.Delay(100);
        }
        var arrived = expected.Select(id => receiver.TryGet(id, out var e) ? e : null).OfType<ReceivedEvent>().ToList();
        if (arrived.Count == 0)
        {
            return new DeliveryResult(expected.Count, 0, TimeSpan.Zero, LatencySummary.Empty, null);
        }
        var span = arrived.Max(e => e.ReceivedAt) - arrived.Min(e => e.CreatedAt);
        return new DeliveryResult(expected.Count, arrived.Count, span, LatencySummary.FromMilliseconds(arrived.Select(e => e.LatencyMs)), null);
    }

    /// <summary>Waits (bounded) for the PAY_IN and COINS_SENT events of these purchases (real events, from settlement).</summary>
    public static async Task<DeliveryResult> AwaitPurchaseEventsAsync(WebhookReceiver receiver, IReadOnlyCollection<string> paymentIds, TimeSpan timeout)
    {
        var wanted = paymentIds.ToHashSet(StringComparer.Ordinal);
        var expected = paymentIds.Count * SubscribedTypes.Length;
        var clock = Stopwatch.StartNew();
        List<ReceivedEvent> arrived;
        while (true)
        {
            arrived = [.. receiver.Events.Where(e => e.ResourceId is not null && wanted.Contains(e.ResourceId) && SubscribedTypes.Contains(e.Type))];
            if (arrived.Count >= expected || clock.Elapsed > timeout)
            {
                break;
            }
            await Task.Delay(100);
        }
        if (arrived.Count == 0)
        {
            return new DeliveryResult(expected, 0, TimeSpan.Zero, LatencySummary.Empty, null);
        }
        var span = arrived.Max(e => e.ReceivedAt) - arrived.Min(e => e.CreatedAt);
        return new DeliveryResult(expected, arrived.Count, span, LatencySummary.FromMilliseconds(arrived.Select(e => e.LatencyMs)), null);
    }
}
