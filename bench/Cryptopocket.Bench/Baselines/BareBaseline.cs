using System.Diagnostics;
using System.Globalization;
using Cryptopocket.Bench.Load;
using Cryptopocket.Bench.Processes;

namespace Cryptopocket.Bench.Baselines;

/// <summary>Starts <see cref="BareEndpoint"/> in a process of its own and loads it exactly like the API phases.</summary>
public static class BareBaseline
{
    public static async Task<LoadResult> RunAsync(BenchSettings settings)
    {
        var port = FreePorts.Next();
        var self = typeof(BareBaseline).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { self, "bare", "--port", port.ToString(CultureInfo.InvariantCulture) } };
        start.Environment["DOTNET_NOLOGO"] = "1";
        await using var bare = ChildProcess.Start(start, Path.Combine(settings.WorkDir, "bare.log"), "bare ASP.NET Core endpoint");
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await Http.WaitForAsync(baseAddress, BareEndpoint.Path, bare, TimeSpan.FromSeconds(30));
        return await LoadGenerator.RunAsync(new LoadSpec
        {
            Name = "bare",
            BaseAddress = baseAddress,
            Connections = settings.Connections,
            WarmUp = settings.WarmUp,
            Duration = settings.Duration,
            NewRequest = _ => new HttpRequestMessage(HttpMethod.Get, BareEndpoint.Path),
            Judge = (_, response, body) => response.IsSuccessStatusCode && Http.Contains(body, "\"status\":\"ok\""u8),
        });
    }
}
