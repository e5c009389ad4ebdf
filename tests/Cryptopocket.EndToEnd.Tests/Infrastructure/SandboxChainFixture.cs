using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Settlement.Sandbox;
using Microsoft.Playwright;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The sandbox as a new user runs it, WITH its local chain: a fresh database and data dir, a
/// DATA_DIR/cryptopocket.json that moves the Hardhat node and the signer to free loopback ports (so parallel runs never
/// meet on 8545) and asks for one confirmation, <c>cryptopocket migrate</c>, then <c>cryptopocket serve</c> (without
/// <c>--no-chain</c>). Waits until <c>cryptopocket chain status --json</c> answers, registers one KYC-approved customer
/// and opens Debian's Chromium.
/// <para>
/// On dispose the server is stopped the way an operator or a service manager stops it, with SIGTERM, and the fixture
/// fails (a class clean-up failure) unless the server exits and its Hardhat node and signer stop listening with it.
/// Whatever is left is killed afterwards, the server's children included.
/// </para>
/// </summary>
public sealed class SandboxChainFixture : IAsyncLifetime
{
    /// <summary>How long the chain may take to come up after the server is ready.</summary>
    public static readonly TimeSpan ChainStartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>How long a graceful stop may take: the server, then its node and signer.</summary>
    public static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(20);

    private TestDatabase? _database;
    private ServerProcess? _server;
    private HttpClient? _partner;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private bool _disposed;

    /// <summary>The server's descendants (node, signer, …) as last seen while it ran: killed by id if left behind.</summary>
    private List<int> _children = [];

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");
    public ServerProcess Server => _server ?? throw new InvalidOperationException("Not started.");
    public string DataDir => Database.DataDir;
    public Uri BaseAddress => Server.BaseAddress;
    public HttpClient Partner => _partner ?? throw new InvalidOperationException("Not started.");
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    public int RpcPort { get; private set; }
    public int SignerPort { get; private set; }

    /// <summary>The server's process id (the <c>dotnet cryptopocket.dll serve</c> this fixture started).</summary>
    public int ServerPid { get; private set; }

    /// <summary>The KYC-approved customer the purchases are for.</summary>
    public long CustomerId { get; private set; }

    /// <summary>How long after the server was ready the first successful <c>chain status</c> came.</summary>
    public TimeSpan ChainStartedAfter { get; private set; }

    public IReadOnlyList<string> DataOptions => ["--data-dir", DataDir, "--database", Database.ConnectionString];

    public Task<CliResult> RunAsync(params string[] arguments) => Cli.RunAsync(DataDir, [.. arguments, .. DataOptions]);

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(KycPageFixture.ChromiumPath),
            $"{KycPageFixture.ChromiumPath} is missing: install Debian's Chromium (apt-get install chromium fonts-liberation; scripts/test.sh does).");
        try
        {
            await StartAsync();
        }
        catch
        {
            await CleanUpAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync();
        RpcPort = ServerProcess.FreePort();
        do
        {
            SignerPort = ServerProcess.FreePort();
        }
        while (SignerPort == RpcPort);
        await WriteConfigurationAsync();

        var migrate = await RunAsync("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        _server = await ServerProcess.StartAsync(DataDir, [.. DataOptions, "--with-chain"]);
        ServerPid = FindServerPid(Server);

        var (apiKey, apiSecret) = SandboxCredentials();
        _partner = await AuthenticatedClientAsync(apiKey, apiSecret);
        var customer = await SandboxServerFixture.RegisterCustomerAsync(Partner, TestCustomers.SpanishBody());
        CustomerId = customer.GetProperty("id").GetInt64();
        var decision = (await RunAsync("customers", "kyc", "--user-id", CustomerId.ToString(CultureInfo.InvariantCulture), "--approve", "--json")).Json();
        Assert.True(decision.Text("kyc_status") == "valid", decision.ToString());

        await WaitForChainAsync();

        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(20_000);
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = KycPageFixture.ChromiumPath,
            Headless = true,
            Timeout = 30_000,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>
    /// DATA_DIR/cryptopocket.json, which the server and every command read. The chain/ folder is found next to the
    /// build when the executable lives in the repository; built elsewhere (<c>--artifacts-path</c>), it is named.
    /// </summary>
    private async Task WriteConfigurationAsync()
    {
        var sandboxChain = new JsonObject
        {
            [nameof(SandboxChainOptions.RpcPort)] = RpcPort,
            [nameof(SandboxChainOptions.SignerPort)] = SignerPort,
        };
        if (!ServerFindsChainDirectoryItself())
        {
            sandboxChain[nameof(SandboxChainOptions.ChainDirectory)] = RepositoryChainDirectory();
        }
        var configuration = new JsonObject
        {
            ["SandboxChain"] = sandboxChain,
            ["Settlement"] = new JsonObject { ["Confirmations"] = 1 },
            // Long enough for a test to export a payout with the CLI before the sandbox bank pays it by itself.
            ["Rampoffs"] = new JsonObject { ["SandboxPayoutDelay"] = "00:00:15" },
        };
        await File.WriteAllTextAsync(Path.Combine(DataDir, "cryptopocket.json"), configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The server looks for chain/ (with package.json and node_modules) in the folders above its own.</summary>
    private static bool ServerFindsChainDirectoryItself()
    {
        for (var directory = new FileInfo(ServerExecutable.DllPath).Directory; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "chain");
            if (File.Exists(Path.Combine(candidate, "package.json")) && Directory.Exists(Path.Combine(candidate, "node_modules")))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The repository's chain/ folder, found from where this source file was compiled.</summary>
    private static string RepositoryChainDirectory([CallerFilePath] string sourceFile = "")
    {
        var roots = new[] { ServerExecutable.RepositoryRoot(), Path.GetDirectoryName(sourceFile) };
        foreach (var start in roots.Where(r => !string.IsNullOrEmpty(r)))
        {
            for (var directory = new DirectoryInfo(start!); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "chain");
                if (File.Exists(Path.Combine(candidate, "package.json")) && Directory.Exists(Path.Combine(candidate, "node_modules")))
                {
                    return candidate;
                }
            }
        }
        throw new InvalidOperationException("No chain/ folder with node_modules above the test sources; run ./scripts/sandbox.sh once, which installs it.");
    }

    /// <summary>Polls <c>cryptopocket chain status --json</c> until it succeeds, as a user waiting for the sandbox would.</summary>
    private async Task WaitForChainAsync()
    {
        var clock = Stopwatch.StartNew();
        CliResult? last = null;
        while (clock.Elapsed < ChainStartTimeout)
        {
            Assert.False(Server.HasExited, $"The server exited while its chain was starting.\n{Server.Output}");
            last = await RunAsync("chain", "status", "--json");
            if (last.ExitCode == 0)
            {
                ChainStartedAfter = clock.Elapsed;
                return;
            }
            if (Server.Stderr.Contains("The sandbox chain could not be started", StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"`chain status` did not succeed within {ChainStartTimeout.TotalSeconds:0} s.\nLast: {last}\n{Server.Output}");
    }

    /// <summary>The sandbox integration's secret: the key webhook signatures are checked with.</summary>
    public string SandboxApiSecret => SandboxCredentials().ApiSecret;

    private (string ApiKey, string ApiSecret) SandboxCredentials()
    {
        var path = Path.Combine(DataDir, "sandbox-credentials.json");
        Assert.True(File.Exists(path), $"No {path}.\n{Server.Output}");
        using var saved = JsonDocument.Parse(File.ReadAllText(path));
        return (saved.RootElement.GetProperty("api_key").GetString()!, saved.RootElement.GetProperty("api_secret").GetString()!);
    }

    private async Task<HttpClient> AuthenticatedClientAsync(string apiKey, string apiSecret)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        using var content = new StringContent(new JsonObject { ["api_key"] = apiKey, ["api_secret"] = apiSecret }.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/authenticate", content);
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "ok", $"Authentication failed: {answer}\n{Server.Output}");
        http.DefaultRequestHeaders.Add("auth", answer.GetProperty("data").GetProperty("token").GetString());
        return http;
    }

    /// <summary>A fresh browser context the size of a phone.</summary>
    public async Task<IBrowserContext> NewPhoneContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        string? failure = null;
        try
        {
            if (_browser is not null)
            {
                await _browser.CloseAsync();
                _browser = null;
            }
            _playwright?.Dispose();
            _playwright = null;
            if (_server is not null && ServerPid > 0)
            {
                failure = await StopGracefullyAsync();
            }
        }
        finally
        {
            await CleanUpAsync();
        }
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException(failure);
        }
    }

    /// <summary>
    /// SIGTERM to the server, as <c>systemctl stop</c> or <c>docker stop</c> send it; then the server must exit and its
    /// Hardhat node and signer must stop listening. Answers what went wrong, or null.
    /// </summary>
    private async Task<string?> StopGracefullyAsync()
    {
        var server = Server;
        if (server.HasExited)
        {
            return $"The server had exited before the test class finished.\n{server.Output}";
        }
        Assert.True(IsListening(RpcPort), $"The Hardhat node is not listening on {RpcPort} before the stop.\n{server.Output}");
        _children = Descendants(ServerPid);

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", ServerPid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync();
            if (kill.ExitCode != 0)
            {
                return $"kill -TERM {ServerPid} failed with exit code {kill.ExitCode}.";
            }
        }
        var clock = Stopwatch.StartNew();
        while (!server.HasExited && clock.Elapsed < GracefulStopTimeout)
        {
            await Task.Delay(100);
        }
        if (!server.HasExited)
        {
            return $"The server did not exit within {GracefulStopTimeout.TotalSeconds:0} s of SIGTERM.\n{server.Output}";
        }
        var exitedAfter = clock.Elapsed;
        // The children are killed before the server's own process ends; allow a moment for the kernel to close the sockets.
        while ((IsListening(RpcPort) || IsListening(SignerPort)) && clock.Elapsed < exitedAfter + TimeSpan.FromSeconds(5))
        {
            await Task.Delay(100);
        }
        var open = new List<string>();
        if (IsListening(RpcPort))
        {
            open.Add($"the Hardhat node (port {RpcPort})");
        }
        if (IsListening(SignerPort))
        {
            open.Add($"the signer (port {SignerPort})");
        }
        var alive = _children.Where(IsAlive).ToList();
        if (open.Count > 0 || alive.Count > 0)
        {
            return $"After SIGTERM the server exited in {exitedAfter.TotalSeconds:0.0} s but left {(open.Count > 0 ? string.Join(" and ", open) + " listening" : "")}" +
                $"{(alive.Count > 0 ? $"; still running: {string.Join(", ", alive.Select(Describe))}" : "")}.\n{server.Output}";
        }
        return null;
    }

    private async Task CleanUpAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        _partner?.Dispose();
        if (_server is not null)
        {
            if (ServerPid > 0 && !_server.HasExited)
            {
                _children = [.. _children.Union(Descendants(ServerPid))];
            }
            await _server.DisposeAsync();
        }
        // Orphans of a server that exited without stopping them: killed by id, never by name.
        foreach (var pid in _children.Where(IsAlive))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// The pid of the <c>serve</c> this fixture started: a child of the test host whose command line names its URL
    /// (ServerProcess does not expose its process; /proc does).
    /// </summary>
    private static int FindServerPid(ServerProcess server)
    {
        var url = server.BaseAddress.ToString().TrimEnd('/');
        foreach (var (pid, parent) in ProcessTable())
        {
            if (parent != Environment.ProcessId)
            {
                continue;
            }
            var arguments = CommandLineOf(pid);
            if (arguments.Contains("serve") && arguments.Contains(url))
            {
                return pid;
            }
        }
        throw new InvalidOperationException($"Cannot find the server process for {url} under pid {Environment.ProcessId}.");
    }

    private static List<int> Descendants(int root)
    {
        var table = ProcessTable();
        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var (pid, parent) in table.Where(p => p.Parent == current))
            {
                found.Add(pid);
                queue.Enqueue(pid);
            }
        }
        return found;
    }

    private static List<(int Pid, int Parent)> ProcessTable()
    {
        var table = new List<(int, int)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so parse after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                table.Add((pid, int.Parse(fields[1], CultureInfo.InvariantCulture)));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return table;
    }

    private static string[] CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            // A zombie still has a /proc entry; its state is Z.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Describe(int pid) => $"{pid} ({string.Join(' ', CommandLineOf(pid).Take(4))})";
}
