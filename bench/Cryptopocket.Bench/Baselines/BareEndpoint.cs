using System.Globalization;
using System.Text.Json.Serialization;

namespace Cryptopocket.Bench.Baselines;

/// <summary>
/// The framework's ceiling: a minimal-API endpoint answering a small JSON object, in a process of its own, with the
/// same host defaults as the server (Web SDK, server GC, Kestrel on loopback) and nothing else — no database, no
/// authentication, no middleware. Started by the benchmark as <c>cryptopocket-bench bare --port N</c>.
/// </summary>
public static class BareEndpoint
{
    public const string Path = "/json";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || args[0] != "--port" || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new BenchUsageException("bare needs --port N.");
        }
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, BareJson.Default));
        var app = builder.Build();
        // The shape of a small API answer ({"status":"ok","data":{…}}), serialized per request like the server's.
        app.MapGet(Path, () => new BareAnswer("ok", new BareData("Hello, World!", 105.597826m, DateTime.UtcNow)));
        await app.RunAsync();
        return 0;
    }
}

public sealed record BareAnswer(string Status, BareData Data);

public sealed record BareData(string Message, decimal Amount, DateTime At);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BareAnswer))]
internal sealed partial class BareJson : JsonSerializerContext;
