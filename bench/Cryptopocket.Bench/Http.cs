using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Cryptopocket.Bench.Processes;

namespace Cryptopocket.Bench;

/// <summary>Small HTTP helpers for set-up steps (not for the measured loads, which use the load generator).</summary>
public static class Http
{
    public static bool Contains(byte[] body, ReadOnlySpan<byte> text) => body.AsSpan().IndexOf(text) >= 0;

    /// <summary>Polls <paramref name="path"/> until it answers 200; fails early if <paramref name="process"/> exits.</summary>
    public static async Task<TimeSpan> WaitForAsync(Uri baseAddress, string path, ChildProcess? process, TimeSpan timeout, TimeSpan? pollEvery = null)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process is { HasExited: true })
            {
                throw new BenchFailedException($"{process.Description} exited before {path} answered.\n{process.Tail}");
            }
            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(pollEvery ?? TimeSpan.FromMilliseconds(50));
        }
        throw new BenchFailedException($"{baseAddress}{path.TrimStart('/')} did not answer 200 within {timeout.TotalSeconds:0} s.\n{process?.Tail}");
    }

    /// <summary>Sends, reads the whole answer as JSON; throws with the body when it is not JSON.</summary>
    public static async Task<JsonElement> JsonAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new BenchFailedException($"{request.Method} {request.RequestUri}: HTTP {(int)response.StatusCode}, not JSON: {Truncate(text)}");
        }
    }

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static string Truncate(string text, int length = 500) => text.Length <= length ? text : text[..length] + "…";

    /// <summary>A property's text (string or number), or null.</summary>
    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;
}
