using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Cryptopocket.Client;
using Cryptopocket.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cryptopocket.Client.Tests;

/// <summary>
/// The ASP.NET Core receiver of docs/webhook-receiver.md, copied line for line between the markers (a test checks the
/// copy), run on a loopback port and fed real deliveries.
/// </summary>
public sealed class ReceiverSampleCompiles
{
    private const string Secret = "whsec-receiver-sample";

    private static (WebApplication App, Channel<WebhookEvent> Inbox) BuildReceiver(string[] args)
    {
        // <receiver-sample>
        var builder = WebApplication.CreateBuilder(args);
        var verifier = new WebhookVerifier(builder.Configuration["Cryptopocket:ApiSecret"]!);
        var handled = new ConcurrentDictionary<string, bool>(); // in production: a unique key on the event id in your database
        var inbox = Channel.CreateUnbounded<WebhookEvent>(); // a background service reads it and does the work
        var app = builder.Build();

        app.MapPost("/webhooks/cryptopocket", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body); // the raw bytes: never verify a re-serialised body
            WebhookEvent webhook;
            try
            {
                webhook = verifier.Verify(body.ToArray(), request.Headers[WebhookSignature.TimestampHeader], request.Headers[WebhookSignature.SignatureHeader]);
            }
            catch (WebhookVerificationException)
            {
                return Results.Unauthorized();
            }
            if (handled.TryAdd(webhook.Id, true)) // false: a retry of an event already received
            {
                await inbox.Writer.WriteAsync(webhook);
            }
            return Results.Ok(); // at once, duplicates included; the work happens after the answer
        });
        // </receiver-sample>
        return (app, inbox);
    }

    [Fact]
    public async Task TheDocumentedReceiverTakesEachEventOnceAndRefusesWhatIsNotAuthentic()
    {
        var (app, inbox) = BuildReceiver(["--urls=http://127.0.0.1:0", "--Cryptopocket:ApiSecret=" + Secret, "--Logging:LogLevel:Default=Warning"]);
        await using (app)
        {
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
            var body = Encoding.UTF8.GetBytes(
                """{"id":"evt_Sample1","type":"WEBHOOK_TEST","created_at":"2026-06-26T10:00:00.000000Z","data":{"test":true,"subscription_type":"PAY_IN"}}""");
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var stale = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 301).ToString(CultureInfo.InvariantCulture);
            var signature = WebhookVerifierTests.Sign(body, now, Secret);

            Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, body, now, signature));
            // The event is queued before the answer is sent.
            Assert.True(inbox.Reader.TryRead(out var webhook));
            Assert.Equal("evt_Sample1", webhook.Id);
            Assert.True(webhook.Data.GetProperty("test").GetBoolean());

            Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, body, now, signature));
            Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(http, [.. body, (byte)' '], now, signature));
            Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(http, body, now, WebhookVerifierTests.Sign(body, now, "another-secret")));
            Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(http, body, stale, WebhookVerifierTests.Sign(body, stale, Secret)));
            Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(http, body, timestamp: null, signature));
            Assert.False(inbox.Reader.TryRead(out _), "A duplicate or a refused delivery reached the inbox.");

            await app.StopAsync();
        }
    }

    [Fact]
    public void TheDocumentedReceiverIsTheOneTested()
    {
        var documented = CodeBlock(File.ReadAllText(RepositoryFile("docs/webhook-receiver.md")), "```csharp");
        var tested = File.ReadAllLines(RepositoryFile("tests/Cryptopocket.Client.Tests/ReceiverSampleCompiles.cs"));
        var start = Array.FindIndex(tested, l => l.Trim() == "// <receiver-sample>");
        var end = Array.FindIndex(tested, l => l.Trim() == "// </receiver-sample>");
        var copy = tested[(start + 1)..end].Select(l => l.Length >= 8 ? l[8..] : l.TrimStart()).ToList();

        var usings = documented.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(usings);
        Assert.All(usings, u => Assert.Contains(u, tested));
        var code = documented.Skip(usings.Count).SkipWhile(l => l.Length == 0).ToList();
        Assert.Equal("app.Run();", code[^1]);
        var beforeRun = code[..^1];
        while (beforeRun[^1].Length == 0)
        {
            beforeRun.RemoveAt(beforeRun.Count - 1);
        }
        Assert.Equal(beforeRun, copy);
    }

    private static async Task<HttpStatusCode> DeliverAsync(HttpClient http, byte[] body, string? timestamp, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/cryptopocket") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (timestamp is not null)
        {
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        }
        request.Headers.Add(WebhookSignature.SignatureHeader, signature);
        request.Headers.Add(WebhookSignature.EventIdHeader, "evt_Sample1");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static List<string> CodeBlock(string markdown, string fence)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var open = Array.IndexOf(lines, fence);
        Assert.True(open >= 0, $"No {fence} block in the docs.");
        var close = Array.IndexOf(lines, "```", open + 1);
        return [.. lines[(open + 1)..close]];
    }

    private static string RepositoryFile(string relativePath, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", relativePath);
}
