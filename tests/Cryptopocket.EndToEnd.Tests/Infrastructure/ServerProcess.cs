using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A running <c>cryptopocket serve</c> on a free loopback port. Started and awaited until <c>/health/ready</c> answers
/// 200 and the server has printed its "listening on" line; killed, with its process tree, on dispose.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Servers still running, killed if the test host exits without disposing them (an aborted run).</summary>
    private static readonly HashSet<Process> Running = [];

    static ServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Running)
        {
            foreach (var process in Running)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        }
    };

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private ServerProcess(Process process, Uri baseAddress, string commandLine)
    {
        _process = process;
        BaseAddress = baseAddress;
        CommandLine = commandLine;
    }

    public Uri BaseAddress { get; }
    public string CommandLine { get; }

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Everything the server printed so far, for assertion messages.</summary>
    public string Output => $"$ cryptopocket {CommandLine}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";

    public bool HasExited => _process.HasExited;

    /// <summary>The sandbox credentials the first start printed, if it printed any.</summary>
    public (string ApiKey, string ApiSecret)? PrintedCredentials
    {
        get
        {
            var stdout = Stdout;
            var key = ApiKeyLine().Match(stdout);
            var secret = ApiSecretLine().Match(stdout);
            return key.Success && secret.Success ? (key.Groups[1].Value, secret.Groups[1].Value) : null;
        }
    }

    /// <summary>
    /// Runs <c>serve --urls http://127.0.0.1:&lt;free port&gt;</c> plus <paramref name="arguments"/>; retries once on
    /// another port if the one picked was taken in the meantime.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string workingDirectory, IReadOnlyList<string> arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var server = Launch(workingDirectory, arguments, port);
            try
            {
                await server.WaitUntilReadyAsync();
                return server;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static ServerProcess Launch(string workingDirectory, IReadOnlyList<string> arguments, int port)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        // The sandbox chain is a separate concern with its own tests; these servers run without one, so test classes
        // running side by side do not each start a node on the same port.
        List<string> all = ["serve", "--urls", baseAddress.ToString().TrimEnd('/'), .. arguments.Contains("--with-chain") ? arguments.Where(a => a != "--with-chain") : [.. arguments, "--no-chain"]];
        var process = new Process { StartInfo = Cli.StartInfo(workingDirectory, all), EnableRaisingEvents = true };
        var server = new ServerProcess(process, baseAddress, string.Join(' ', all));
        process.OutputDataReceived += (_, e) => server.Append(server._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(server._stderr, e.Data);
        process.Start();
        lock (Running)
        {
            Running.Add(process);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            target.Append(line).Append('\n');
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var healthy = false;
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                var output = Output;
                if (output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new PortTakenException();
                }
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was ready.\n{output}");
            }
            if (!healthy)
            {
                try
                {
                    using var response = await http.GetAsync("/health/ready");
                    healthy = response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                    // Listening but not answering yet.
                }
            }
            // The "listening on" line comes after anything printed at start-up (the sandbox credentials).
            if (healthy && Stdout.Contains(" listening on ", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The server was not ready within {StartTimeout.TotalSeconds:0} s.\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        catch (OperationCanceledException)
        {
            // Leave it; the kill was sent.
        }
        lock (Running)
        {
            Running.Remove(_process);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^\s*api_key:\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ApiKeyLine();

    [GeneratedRegex(@"^\s*api_secret:\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ApiSecretLine();

    private sealed class PortTakenException : Exception;
}
