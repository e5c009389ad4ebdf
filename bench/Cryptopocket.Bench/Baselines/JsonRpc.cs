using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cryptopocket.Bench.Baselines;

/// <summary>A minimal EVM JSON-RPC client for the chain baseline.</summary>
public sealed class JsonRpc(HttpClient http, Uri url)
{
    private long _id;

    public async Task<JsonElement> CallAsync(string method, params JsonNode?[] parameters)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _id),
            ["method"] = method,
            ["params"] = new JsonArray(parameters),
        };
        using var content = Http.JsonBody(request.ToJsonString());
        using var response = await http.PostAsync(url, content);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new BenchFailedException($"{method}: {error}");
        }
        return document.RootElement.GetProperty("result").Clone();
    }
}
