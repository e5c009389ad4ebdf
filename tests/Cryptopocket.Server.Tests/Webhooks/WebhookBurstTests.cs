using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cryptopocket.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cryptopocket.Server.Tests.Webhooks;

/// <summary>
/// The benchmark's webhook burst in small (docs/performance.md): 8 integrations with PAY_IN and COINS_SENT subscriptions
/// (16 lanes), test events made through the API by 32 connections at once. Asserts that every event arrives once;
/// prints the rates and latencies, which are for comparing changes on one machine, not for asserting.
/// </summary>
public sealed class WebhookBurstTests(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const int Events = 1000;
    private const int Connections = 32;
    private static readonly string[] Types = ["PAY_IN", "COINS_SENT"];

    [Fact]
    public async Task ABurstOfTestEventsArrivesOnceEach()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var partners = new List<HttpClient>();
        for (var i = 0; i < 8; i++)
        {
            var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
            foreach (var type in Types)
            {
                await http.PostAsync("/api/subscribeToWebhook", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["type"] = type, ["url"] = new Uri(receiver.BaseAddress, $"/hooks/{i}").ToString(),
                }));
            }
            partners.Add(http);
        }

        using var database = new DatabaseCalls();
        var made = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(connection => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref made)) <= Events)
            {
                var response = await partners[connection % partners.Count].PostAsJsonAsync("/api/webhooks/test", new { type = Types[n % 2] });
                Assert.Contains("event_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        })));
        var madeIn = clock.Elapsed;
        var received = await receiver.WaitForAsync(_ => true, Events, TimeSpan.FromSeconds(120));
        await Task.Delay(500); // the last outcomes' save
        var calls = database.Snapshot();

        var firsts = received.GroupBy(r => r.Headers["X-Event-Id"]).Select(g => g.First()).ToList();
        Assert.Equal(Events, firsts.Count);
        var created = firsts.Select(r => (Request: r, CreatedAt: DateTime.Parse(JsonDocument.Parse(r.Body).RootElement.GetProperty("created_at").GetString()!,
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal))).ToList();
        var latencies = created.Select(c => (c.Request.At - c.CreatedAt).TotalMilliseconds).Order().ToList();
        var span = created.Max(c => c.Request.At) - created.Min(c => c.CreatedAt);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Events} events made in {madeIn.TotalSeconds:0.00} s ({Events / madeIn.TotalSeconds:0}/s); delivered {Events / span.TotalSeconds:0}/s; " +
            $"latency p50 {latencies[latencies.Count / 2]:0} ms, p99 {latencies[latencies.Count * 99 / 100]:0} ms, max {latencies[^1]:0} ms; duplicates {received.Count - Events}; " +
            $"database per event: {calls.Commands / (double)Events:0.00} commands, {calls.Commits / (double)Events:0.00} commits, {calls.Savepoints / (double)Events:0.00} savepoints"));
        foreach (var partner in partners)
        {
            partner.Dispose();
        }
    }
}
