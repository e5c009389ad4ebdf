using System.Globalization;

namespace Cryptopocket.Bench.Load;

/// <summary>
/// <c>cryptopocket-bench load --url URL [--header "name: value"]… [--body JSON [--values a,b,…]] [--connections N]
/// [--duration S] [--warmup S]</c>: one load with the benchmark's generator, for looking into one endpoint (with a
/// profiler attached, say) without running every phase. With <c>--body</c> it POSTs JSON; <c>{value}</c> in the body
/// is replaced by one of <c>--values</c>, chosen by connection (e.g. one customer id per connection). <c>{value}</c> in
/// the URL takes the next of <c>--values</c> on every request, each connection starting elsewhere (e.g. purchase ids
/// for GET /api/payment/{value}, so reads spread over many rows as in the detail phase). Any 2xx whose body does not
/// say <c>"status":"error"</c> counts as success.
/// </summary>
public static class AdHocLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? url = null;
        string? body = null;
        string[] values = [""];
        var headers = new List<(string, string)>();
        int connections = 64;
        double duration = 10, warmUp = 3;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--url": url = args[i + 1]; break;
                case "--header":
                    var parts = args[i + 1].Split(':', 2);
                    headers.Add((parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : ""));
                    break;
                case "--body": body = args[i + 1]; break;
                case "--values": values = args[i + 1].Split(','); break;
                case "--connections": connections = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--duration": duration = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--warmup": warmUp = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new BenchUsageException($"Unknown option {args[i]}.");
            }
        }
        var target = new Uri(url ?? throw new BenchUsageException("load needs --url."));
        var result = await LoadGenerator.RunAsync(new LoadSpec
        {
            Name = target.PathAndQuery,
            BaseAddress = new Uri(target.GetLeftPart(UriPartial.Authority)),
            Connections = connections,
            WarmUp = TimeSpan.FromSeconds(warmUp),
            Duration = TimeSpan.FromSeconds(duration),
            NewRequest = context =>
            {
                var path = target.PathAndQuery.Replace("%7Bvalue%7D", values[(int)((context.Connection * 7919L + context.Sequence) % values.Length)],
                    StringComparison.Ordinal);
                var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, path);
                if (body is not null)
                {
                    request.Content = Http.JsonBody(body.Replace("{value}", values[context.Connection % values.Length], StringComparison.Ordinal));
                }
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
                return request;
            },
            Judge = (_, response, answer) => response.IsSuccessStatusCode && !Http.Contains(answer, "\"status\":\"error\""u8),
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Name}: {result.RequestsPerSecond:0} req/s over {duration:0.#} s with {connections} connections; {result.Latency}; {result.ErrorsTotal} errors {string.Join(" | ", result.ErrorSamples)}"));
        return result.ErrorsTotal == 0 ? 0 : 1;
    }
}
