using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Bench.Processes;

namespace Cryptopocket.Bench.Platform;

/// <summary>
/// The server under test, as an operator runs it: a data dir whose cryptopocket.json moves the sandbox chain's node and
/// signer to free ports (and names chain/ when the build lives outside the repository), a fresh PostgreSQL database,
/// <c>cryptopocket migrate</c>, then <c>cryptopocket serve</c> with its sandbox chain. Ready when /health/ready answers
/// and the server has printed that its chain is up.
/// </summary>
public sealed class CryptopocketServer : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private readonly BenchSettings _settings;
    private readonly Postgres _postgres;
    private ChildProcess? _process;

    private CryptopocketServer(BenchSettings settings, Postgres postgres, string database)
    {
        _settings = settings;
        _postgres = postgres;
        Database = database;
        DataDir = Path.Combine(settings.WorkDir, "server");
        Port = FreePorts.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
    }

    public string Database { get; }
    public string ConnectionString =>
        _postgres.ConnectionString(Database) + (_settings.DatabaseOptions.Length > 0 ? ";" + _settings.DatabaseOptions.Trim(';') : "");
    public string DataDir { get; }
    public int Port { get; }
    public Uri BaseAddress { get; }
    public ChildProcess Process => _process ?? throw new InvalidOperationException("Not started.");

    /// <summary>The <c>dotnet cryptopocket.dll serve</c> process: its peak RSS is the memory figure.</summary>
    public int Pid => Process.Pid;

    public IReadOnlyList<string> DataOptions => ["--data-dir", DataDir, "--database", ConnectionString];

    public static async Task<CryptopocketServer> StartAsync(BenchSettings settings, Postgres postgres)
    {
        var database = await postgres.CreateDatabaseAsync("cpbench");
        var server = new CryptopocketServer(settings, postgres, database);
        try
        {
            await server.LaunchAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task LaunchAsync()
    {
        Directory.CreateDirectory(DataDir);
        var rpcPort = FreePorts.Next();
        var signerPort = FreePorts.Next();
        var configuration = new JsonObject
        {
            ["SandboxChain"] = new JsonObject
            {
                ["RpcPort"] = rpcPort,
                ["SignerPort"] = signerPort,
                ["ChainDirectory"] = Path.Combine(_settings.RepositoryRoot, "chain"),
            },
        };
        await File.WriteAllTextAsync(Path.Combine(DataDir, "cryptopocket.json"), configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var migrate = await RunAsync("migrate");
        if (migrate.ExitCode != 0)
        {
            throw new BenchFailedException($"migrate failed.\n{migrate}");
        }
        _process = ChildProcess.Start(
            Cli.Dotnet(_settings.ServerDll, ["serve", "--urls", BaseAddress.ToString().TrimEnd('/'), .. DataOptions], _settings.ServerEnvironment),
            Path.Combine(_settings.WorkDir, "server.log"), "cryptopocket serve");
        await Http.WaitForAsync(BaseAddress, "/health/ready", _process, StartTimeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The server prints this once its node is up and the contracts are deployed (SandboxChainHost).
        while (!_process.HasPrinted("Sandbox chain: http"))
        {
            if (_process.HasExited || clock.Elapsed > StartTimeout || _process.HasPrinted("The sandbox chain could not be started"))
            {
                throw new BenchFailedException($"The sandbox chain did not come up.\n{_process.Tail}");
            }
            await Task.Delay(200);
        }
        _process.RememberDescendants();
    }

    /// <summary><c>cryptopocket &lt;arguments&gt; --data-dir … --database …</c>.</summary>
    public Task<CliResult> RunAsync(params string[] arguments) =>
        Cli.RunAsync(Cli.Dotnet(_settings.ServerDll, [.. arguments, .. DataOptions]), TimeSpan.FromMinutes(5));

    /// <summary>The sandbox integration's credentials, saved by the first start.</summary>
    public (string ApiKey, string ApiSecret) SandboxCredentials()
    {
        using var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(DataDir, "sandbox-credentials.json")));
        return (saved.RootElement.GetProperty("api_key").GetString()!, saved.RootElement.GetProperty("api_secret").GetString()!);
    }

    public string DescribeMemory() =>
        string.Create(CultureInfo.InvariantCulture, $"pid {Pid}: VmHWM {ProcessTable.PeakRssBytes(Pid) / 1048576.0:0.0} MiB, VmRSS {ProcessTable.RssBytes(Pid) / 1048576.0:0.0} MiB");

    /// <summary>SIGTERM (the server stops its node and signer), then whatever is left is killed; the database is dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(20));
            await _process.DisposeAsync();
        }
        if (_settings.KeepDatabase)
        {
            Postgres.Keep(Database);
            Console.WriteLine($"Kept database {Database}: {ConnectionString}");
            return;
        }
        try
        {
            await _postgres.DropDatabaseAsync(Database);
        }
        catch (BenchFailedException exception)
        {
            Console.Error.WriteLine($"Could not drop database {Database}: {exception.Message}");
        }
    }
}
