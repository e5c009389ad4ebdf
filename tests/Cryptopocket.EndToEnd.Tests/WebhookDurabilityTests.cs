using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cryptopocket.EndToEnd.Tests.Infrastructure;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.EndToEnd.Tests;

/// <summary>
/// A dispatcher killed (SIGKILL) while attempts are in flight loses nothing: after a restart every event reaches the
/// receiver — at least once, first arrivals in order — signed as documented.
/// </summary>
public sealed class WebhookDurabilityTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private WebhookReceiver _receiver = null!;
    private readonly List<ServerProcess> _servers = [];

    private IReadOnlyList<string> DataOptions => ["--data-dir", _database.DataDir, "--database", _database.ConnectionString];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        // A short attempt timeout keeps the lease of a killed attempt (timeout + 20 s) brief. One delivery in flight per
        // subscription (test events are each their own resource, so by default several go at once): the kill lands
        // while later events still wait, and first arrivals can be checked against the order the events were made.
        await File.WriteAllTextAsync(Path.Combine(_database.DataDir, "cryptopocket.json"), """{"Webhooks":{"Timeout":"00:00:02","InFlightPerSubscription":1}}""");
        var migrate = await Cli.RunAsync(_database.DataDir, ["migrate", .. DataOptions]);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
        await _receiver.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<ServerProcess> StartAsync()
    {
        var server = await ServerProcess.StartAsync(_database.DataDir, DataOptions);
        _servers.Add(server);
        return server;
    }

    [Fact]
    public async Task ADispatcherKilledMidDeliveryLosesNothing()
    {
        var server = await StartAsync();
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_database.DataDir, "sandbox-credentials.json")));
        var apiKey = saved.RootElement.GetProperty("api_key").GetString()!;
        var apiSecret = saved.RootElement.GetProperty("api_secret").GetString()!;
        using var partner = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        var auth = await (await partner.PostAsJsonAsync("/api/authenticate", new { api_key = apiKey, api_secret = apiSecret })).Content.ReadFromJsonAsync<JsonElement>();
        partner.DefaultRequestHeaders.Add("auth", auth.GetProperty("data").GetProperty("token").GetString());
        var subscribed = await partner.PostAsync("/api/subscribeToWebhook", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["type"] = "KYC_STATUS_CHANGED", ["url"] = _receiver.BaseAddress.ToString(),
        }));
        Assert.Contains("subscription_created", await subscribed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A slow receiver: each answer takes 600 ms, so a kill lands while an attempt is in flight.
        _receiver.Delay = TimeSpan.FromMilliseconds(600);
        var eventIds = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var test = await (await partner.PostAsJsonAsync("/api/webhooks/test", new { type = "KYC_STATUS_CHANGED" })).Content.ReadFromJsonAsync<JsonElement>();
            eventIds.Add(test.GetProperty("data").GetProperty("event_id").GetString()!);
        }
        await _receiver.WaitForAsync(_ => true, 2, TimeSpan.FromSeconds(20));

        await server.DisposeAsync();                       // SIGKILL, mid-delivery
        _servers.Remove(server);
        var before = _receiver.Requests.Count;
        Assert.True(before < eventIds.Count, "Everything was delivered before the kill; the test proved nothing.");
        await StartAsync();

        // At least once: the attempt cut by the kill may arrive twice; what counts is that every event arrives.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (_receiver.Requests.Select(r => r.Headers["X-Event-Id"]).Distinct().Count() < eventIds.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var received = _receiver.Requests.ToList();
        var firstArrivals = received.Select(r => r.Headers["X-Event-Id"]).Distinct().ToList();
        Assert.Equal(eventIds, firstArrivals);
        foreach (var request in received)
        {
            var signed = request.Body.Concat(Encoding.ASCII.GetBytes(request.Headers["X-Timestamp"])).ToArray();
            Assert.Equal(Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiSecret), signed)).ToLowerInvariant(), request.Headers["X-Signature"]);
        }
    }
}
