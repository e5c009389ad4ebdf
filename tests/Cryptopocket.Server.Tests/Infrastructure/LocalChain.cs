using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Rampoffs.Deposits;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Features.Settlement.Sandbox;

namespace Cryptopocket.Server.Tests.Infrastructure;

/// <summary>
/// A real Hardhat node and the project's signer on free loopback ports, with the project's TestToken deployed as
/// USDC and a funded hot wallet (a signer key). Tests read the chain through their own JSON-RPC calls.
/// </summary>
public sealed class LocalChain : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private string _keystore = "";

    public required EvmRpcClient Node { get; init; }
    public required EvmRpcClient Signer { get; init; }
    public string RpcUrl => Node.Endpoint.ToString();
    public string SignerUrl => Signer.Endpoint.ToString();
    public string HotWallet { get; private set; } = "";
    public string Usdc { get; private set; } = "";
    public string Faucet { get; private set; } = "";

    /// <summary>A second signer account, for sweeps, when started with <c>withSweeper</c>; empty otherwise.</summary>
    public string Sweeper { get; private set; } = "";

    public static string ChainDirectory => FindChainDirectory();

    /// <summary>
    /// chain/ above the test assembly, else above this source file: a build with --artifacts-path lives outside the
    /// repository, where walking up from the assembly never meets chain/.
    /// </summary>
    private static string FindChainDirectory([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) }.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var dir = new DirectoryInfo(start!); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "chain");
                if (File.Exists(Path.Combine(candidate, "build", "TestToken.json")))
                {
                    return candidate;
                }
            }
        }
        throw new InvalidOperationException("chain/ with node_modules and build/ not found: run scripts/test.sh (it installs the chain tooling).");
    }

    /// <param name="withSweeper">Also create a funded sweep account in the signer (the off-ramp's sweeper).</param>
    public static async Task<LocalChain> StartAsync(decimal usdcFloat = 1_000_000m, decimal ethFloat = 100m, bool withSweeper = false)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var nodePort = FreePort();
        var signerPort = FreePort();
        var chain = new LocalChain
        {
            Node = new EvmRpcClient(http, new Uri($"http://127.0.0.1:{nodePort}/")),
            Signer = new EvmRpcClient(http, new Uri($"http://127.0.0.1:{signerPort}/")),
        };
        chain._keystore = Directory.CreateTempSubdirectory("cp-keystore-").FullName;
        var dir = ChainDirectory;
        chain.Spawn(dir, [Path.Combine(dir, "node_modules", "hardhat", "internal", "cli", "bootstrap.js"), "node", "--hostname", "127.0.0.1", "--port", $"{nodePort}", "--config", "hardhat.config.cjs"], []);
        chain.Spawn(dir, [Path.Combine(dir, "signer", "signer.mjs"), "--port", $"{signerPort}", "--keystore", chain._keystore, "--create", withSweeper ? "2" : "1"],
            new() { ["CRYPTOPOCKET_SIGNER_PASSWORD"] = "test-password" });
        await WaitAsync(async () => await chain.Node.ChainIdAsync(CancellationToken.None) == 31337);
        await WaitAsync(async () => (await chain.Signer.CallAsync("health", [], CancellationToken.None)).GetString() == "ok");

        chain.Faucet = (await chain.Node.CallAsync("eth_accounts", [], CancellationToken.None))[0].GetString()!;
        // The signer lists its accounts sorted, so the roles are the same for the life of the keystore.
        var accounts = (await chain.Signer.CallAsync("eth_accounts", [], CancellationToken.None)).EnumerateArray().Select(a => a.GetString()!).ToList();
        chain.HotWallet = accounts[0];
        chain.Usdc = await SandboxChainHost.DeployAsync(chain.Node, chain.Faucet, dir, "TestToken", Erc20.EncodeTokenConstructor("USD Coin", "USDC", 6), CancellationToken.None);
        await chain.MintUsdcAsync(chain.HotWallet, usdcFloat);
        await SandboxChainHost.SendAndWaitAsync(chain.Node, new JsonObject
        {
            ["from"] = chain.Faucet, ["to"] = chain.HotWallet, ["value"] = Hex.Quantity(BaseUnits.From(ethFloat, 18)),
        }, contract: false, CancellationToken.None);
        if (withSweeper)
        {
            chain.Sweeper = accounts[1];
            await SandboxChainHost.SendAndWaitAsync(chain.Node, new JsonObject
            {
                ["from"] = chain.Faucet, ["to"] = chain.Sweeper, ["value"] = Hex.Quantity(BaseUnits.From(10m, 18)),
            }, contract: false, CancellationToken.None);
        }
        return chain;
    }

    /// <summary>Deploys chain/contracts/DepositFactory.sol with <paramref name="treasury"/> and answers its address.</summary>
    public Task<string> DeployDepositFactoryAsync(string treasury) =>
        SandboxChainHost.DeployAsync(Node, Faucet, ChainDirectory, "DepositFactory", DepositFactoryAbi.EncodeConstructor(treasury), CancellationToken.None);

    /// <summary>Deploys chain/contracts/Disperse.sol (settlement's batched payouts) and answers its address.</summary>
    public Task<string> DeployDisperseAsync() => SandboxChainHost.DeployAsync(Node, Faucet, ChainDirectory, "Disperse", [], CancellationToken.None);

    /// <summary>The hot wallet sets its USDC allowance for <paramref name="spender"/>, signed by the signer as the sandbox does.</summary>
    public Task ApproveUsdcAsync(string spender, System.Numerics.BigInteger amount) =>
        SandboxChainHost.ApproveAsync(Node, Signer, HotWallet, Usdc, spender, amount, 31337, CancellationToken.None);

    public Task MintUsdcAsync(string to, decimal amount) =>
        SandboxChainHost.SendAndWaitAsync(Node, new JsonObject { ["from"] = Faucet, ["to"] = Usdc, ["data"] = Erc20.EncodeMint(to, BaseUnits.From(amount, 6)) }, contract: false, CancellationToken.None);

    /// <summary>The server configuration that points settlement at this chain as "polygon".</summary>
    public IEnumerable<KeyValuePair<string, string?>> SettlementConfiguration(int confirmations = 1) =>
    [
        new("Settlement:Confirmations", $"{confirmations}"),
        new("Settlement:PollInterval", "00:00:00.200"),
        new("Settlement:Chains:polygon:RpcUrl", RpcUrl),
        new("Settlement:Chains:polygon:SignerUrl", SignerUrl),
        new("Settlement:Chains:polygon:ChainId", "31337"),
        new("Settlement:Chains:polygon:HotWallet", HotWallet),
        new("Settlement:Chains:polygon:NativeSymbol", "POL"),
        new("Settlement:Chains:polygon:Tokens:USDC", Usdc),
    ];

    /// <summary>Every USDC Transfer log sent from the hot wallet, read straight from the node.</summary>
    public async Task<IReadOnlyList<(string TxHash, string To, System.Numerics.BigInteger Amount)>> TransfersFromHotWalletAsync()
    {
        var filter = new JsonObject
        {
            ["fromBlock"] = "0x0", ["toBlock"] = "latest", ["address"] = Usdc,
            ["topics"] = new JsonArray(Erc20.TransferTopic, "0x" + new string('0', 24) + HotWallet[2..].ToLowerInvariant()),
        };
        var logs = await Node.CallAsync("eth_getLogs", [filter], CancellationToken.None);
        return logs.EnumerateArray().Select(l => (
            l.GetProperty("transactionHash").GetString()!,
            Erc20.AddressFromTopic(l.GetProperty("topics")[2].GetString()!),
            Hex.ParseQuantity(l.GetProperty("data").GetString()))).ToList();
    }

    private void Spawn(string dir, string[] arguments, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["HARDHAT_DISABLE_TELEMETRY_PROMPT"] = "true";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    private static async Task WaitAsync(Func<Task<bool>> ready)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or JsonRpcException or TaskCanceledException or JsonException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The local chain did not start within 60 s.");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
        _http.Dispose();
        try
        {
            Directory.Delete(_keystore, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
