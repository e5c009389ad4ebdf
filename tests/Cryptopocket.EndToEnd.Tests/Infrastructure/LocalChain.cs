using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Features.Settlement.Sandbox;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>One ERC-20 <c>Transfer</c> log as the chain reports it.</summary>
public sealed record TokenTransferLog(string TransactionHash, string From, string To, BigInteger Amount, BigInteger BlockNumber);

/// <summary>
/// A real local EVM chain owned by a test, independent of any <c>cryptopocket serve</c>: the project's pinned Hardhat
/// node and its signer (chain/, see chain/README.md) as child processes on loopback, a TestToken("USD Coin","USDC",6)
/// deployed from the node's first (unlocked) account, and the signer's one key as the funded hot wallet. Servers can be
/// killed and restarted against it; the chain stays. Both processes are killed, with their trees, on dispose.
/// </summary>
public sealed partial class LocalChain : IAsyncDisposable
{
    public const long ChainId = 31337;
    public const int TokenDecimals = 6;

    private readonly List<ToolProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private LocalChain()
    {
    }

    public string RpcUrl { get; private set; } = "";
    public string SignerUrl { get; private set; } = "";

    /// <summary>The signer's only account: it pays every delivery.</summary>
    public string HotWallet { get; private set; } = "";

    /// <summary>Hardhat's account 0: deployer and owner of the token (it alone may mint).</summary>
    public string Faucet { get; private set; } = "";

    /// <summary>The TestToken standing in for USDC.</summary>
    public string Token { get; private set; } = "";

    public EvmRpcClient Node { get; private set; } = null!;

    /// <summary>What the node and the signer printed last, for assertion messages.</summary>
    public string Output => string.Join("\n", _processes.Select(p => p.Tail));

    /// <summary>
    /// Starts node and signer, deploys the token, mints <paramref name="tokenFloat"/> USDC to the hot wallet and sends
    /// it <paramref name="ethForGas"/> ETH.
    /// </summary>
    public static async Task<LocalChain> StartAsync(string workDirectory, decimal tokenFloat, decimal ethForGas)
    {
        var chain = new LocalChain();
        try
        {
            await chain.StartNodeAsync();
            await chain.StartSignerAsync(Path.Combine(workDirectory, "signer-keystore"));
            await chain.DeployAsync(tokenFloat, ethForGas);
            return chain;
        }
        catch
        {
            await chain.DisposeAsync();
            throw;
        }
    }

    /// <summary>The Disperse contract settlement batches through, once <see cref="EnableDisperseAsync"/> ran; empty otherwise.</summary>
    public string Disperse { get; private set; } = "";

    /// <summary>Transactions the hot wallet itself sent before settlement began (the Disperse approval).</summary>
    public int SetUpTransactions { get; private set; }

    /// <summary>
    /// Deploys chain/contracts/Disperse.sol and has the hot wallet approve it for all its USDC, through the signer, as
    /// the sandbox does; the configuration then names it, so settlement batches.
    /// </summary>
    public async Task EnableDisperseAsync()
    {
        Disperse = await SandboxChainHost.DeployAsync(Node, Faucet, ChainDirectory(), "Disperse", [], CancellationToken.None);
        await SandboxChainHost.ApproveAsync(Node, new EvmRpcClient(_http, new Uri(SignerUrl)), HotWallet, Token, Disperse, Erc20.UnlimitedAllowance,
            ChainId, CancellationToken.None);
        SetUpTransactions++;
    }

    /// <summary>The "Settlement" section <c>serve</c> reads from DATA_DIR/cryptopocket.json, pointing chain "polygon" here.</summary>
    public JsonObject SettlementConfiguration(int confirmations = 2, string pollInterval = "00:00:00.500", int? batchSize = null) => new()
    {
        ["Settlement"] = new JsonObject
        {
            ["Confirmations"] = confirmations,
            ["PollInterval"] = pollInterval,
            ["BatchSize"] = batchSize,
            // Rounds keep their pace even when full or woken by a payment, so kills land while purchases are still being settled.
            ["DrainWhenFull"] = false,
            ["WakeOnPayment"] = false,
            ["Chains"] = new JsonObject
            {
                ["polygon"] = new JsonObject
                {
                    [nameof(RpcUrl)] = RpcUrl,
                    [nameof(SignerUrl)] = SignerUrl,
                    ["ChainId"] = ChainId,
                    [nameof(HotWallet)] = HotWallet,
                    ["NativeSymbol"] = "POL",
                    ["Tokens"] = new JsonObject { ["USDC"] = Token },
                    [nameof(Disperse)] = Disperse,
                },
            },
        },
    };

    /// <summary>Writes DATA_DIR/cryptopocket.json; a null <paramref name="batchSize"/> leaves the server's default (200 per round).</summary>
    public async Task WriteServerConfigurationAsync(string dataDir, int? batchSize = null)
    {
        var configuration = SettlementConfiguration(batchSize: batchSize);
        if (batchSize is null)
        {
            configuration["Settlement"]!.AsObject().Remove("BatchSize");
        }
        await File.WriteAllTextAsync(Path.Combine(dataDir, "cryptopocket.json"), configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Mints whole USDC to <paramref name="to"/> (the owner's eth_sendTransaction, waited for).</summary>
    public Task MintAsync(string to, decimal usdc) =>
        SandboxChainHost.SendAndWaitAsync(Node, new JsonObject
        {
            ["from"] = Faucet, ["to"] = Token, ["data"] = Erc20.EncodeMint(to, BaseUnits.From(usdc, TokenDecimals)),
        }, contract: false, CancellationToken.None);

    /// <summary>
    /// Every token <c>Transfer</c> log from <paramref name="from"/> since block 0, straight from the node
    /// (eth_getLogs on the token, topic0 = Transfer, topic1 = the sender).
    /// </summary>
    public async Task<IReadOnlyList<TokenTransferLog>> TransfersFromAsync(string from)
    {
        var filter = new JsonObject
        {
            ["fromBlock"] = "0x0",
            ["toBlock"] = "latest",
            ["address"] = Token,
            ["topics"] = new JsonArray(Erc20.TransferTopic, Hex.Data(Erc20.Word(Erc20.Address(from)))),
        };
        var logs = await Node.CallAsync("eth_getLogs", [filter], CancellationToken.None);
        return logs.EnumerateArray().Select(log =>
        {
            var topics = log.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!).ToList();
            Assert.True(topics.Count == 3 && string.Equals(topics[0], Erc20.TransferTopic, StringComparison.OrdinalIgnoreCase), $"Not a Transfer log: {log}");
            return new TokenTransferLog(
                log.GetProperty("transactionHash").GetString()!,
                Erc20.AddressFromTopic(topics[1]),
                Erc20.AddressFromTopic(topics[2]),
                Hex.ParseQuantity(log.GetProperty("data").GetString()),
                Hex.ParseQuantity(log.GetProperty("blockNumber").GetString()));
        }).ToList();
    }

    public async Task<BigInteger> TokenBalanceAsync(string owner) => await Node.TokenBalanceAsync(Token, owner, CancellationToken.None);

    /// <summary>How many transactions <paramref name="address"/> has sent (its nonce) at "latest" or "pending".</summary>
    public async Task<BigInteger> TransactionCountAsync(string address, string block = "latest") =>
        await Node.TransactionCountAsync(address, block, CancellationToken.None);

    public async Task<JsonElement> RawReceiptAsync(string hash) =>
        await Node.CallAsync("eth_getTransactionReceipt", [hash], CancellationToken.None);

    /// <summary>A fresh random address (20 random bytes), EIP-55 checksummed.</summary>
    public static string RandomAddress() =>
        EvmAddress.ToChecksum(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)));

    private async Task StartNodeAsync()
    {
        var chainDirectory = ChainDirectory();
        for (var attempt = 1; ; attempt++)
        {
            var port = ServerProcess.FreePort();
            var node = ToolProcess.Start("hardhat", "node",
                [Path.Combine(chainDirectory, "node_modules", "hardhat", "internal", "cli", "bootstrap.js"), "node",
                 "--hostname", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--config", "hardhat.config.cjs"],
                chainDirectory, new Dictionary<string, string> { ["HARDHAT_DISABLE_TELEMETRY_PROMPT"] = "true" });
            _processes.Add(node);
            var ready = await node.WaitForLineAsync(l => l.Contains("Started HTTP and WebSocket JSON-RPC server", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            if (ready is null)
            {
                if (node.HasExited && attempt < 3 && node.Tail.Contains("EADDRINUSE", StringComparison.Ordinal))
                {
                    continue;
                }
                throw new InvalidOperationException($"The Hardhat node did not start.\n{node.Tail}");
            }
            RpcUrl = $"http://127.0.0.1:{port}/";
            Node = new EvmRpcClient(_http, new Uri(RpcUrl));
            Assert.Equal(new BigInteger(ChainId), await Node.ChainIdAsync(CancellationToken.None));
            return;
        }
    }

    private async Task StartSignerAsync(string keystore)
    {
        var chainDirectory = ChainDirectory();
        // --port 0: the OS picks the port, and the ready line says which; no race with other tests for a port.
        var signer = ToolProcess.Start("signer", "node",
            [Path.Combine(chainDirectory, "signer", "signer.mjs"), "--port", "0", "--keystore", keystore, "--create", "1"],
            chainDirectory, new Dictionary<string, string> { ["CRYPTOPOCKET_SIGNER_PASSWORD"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) });
        _processes.Add(signer);
        var ready = await signer.WaitForLineAsync(l => SignerReady().IsMatch(l), TimeSpan.FromSeconds(60))
            ?? throw new InvalidOperationException($"The signer did not start.\n{signer.Tail}");
        SignerUrl = $"http://127.0.0.1:{SignerReady().Match(ready).Groups[1].Value}/";
        var accounts = await new EvmRpcClient(_http, new Uri(SignerUrl)).CallAsync("eth_accounts", [], CancellationToken.None);
        HotWallet = EvmAddress.ToChecksum(Assert.Single(accounts.EnumerateArray()).GetString()!);
    }

    private async Task DeployAsync(decimal tokenFloat, decimal ethForGas)
    {
        Faucet = EvmAddress.ToChecksum((await Node.CallAsync("eth_accounts", [], CancellationToken.None))[0].GetString()!);
        Token = await SandboxChainHost.DeployAsync(Node, Faucet, ChainDirectory(), "TestToken", Erc20.EncodeTokenConstructor("USD Coin", "USDC", TokenDecimals),
            CancellationToken.None);
        if (tokenFloat > 0)
        {
            await MintAsync(HotWallet, tokenFloat);
        }
        await SandboxChainHost.SendAndWaitAsync(Node, new JsonObject
        {
            ["from"] = Faucet, ["to"] = HotWallet, ["value"] = Hex.Quantity(BaseUnits.From(ethForGas, 18)),
        }, contract: false, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        _processes.Clear();
        _http.Dispose();
    }

    /// <summary>
    /// The repository's chain/ folder with its tooling installed: CRYPTOPOCKET_CHAIN_DIR, else found above the test
    /// assembly, this source file (builds with --artifacts-path live outside the repository) or the current folder.
    /// </summary>
    public static string ChainDirectory([CallerFilePath] string sourceFile = "")
    {
        if (Environment.GetEnvironmentVariable("CRYPTOPOCKET_CHAIN_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }
        string?[] starts = [AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile), Environment.CurrentDirectory];
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var directory = new DirectoryInfo(start!); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "chain");
                if (File.Exists(Path.Combine(candidate, "build", "TestToken.json")) && Directory.Exists(Path.Combine(candidate, "node_modules", "hardhat")))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException("No chain/ folder with node_modules and build/TestToken.json; run scripts/lib/setup.sh ensure_chain_tooling or set CRYPTOPOCKET_CHAIN_DIR.");
    }

    [GeneratedRegex(@"signer ready on 127\.0\.0\.1:(\d+) with")]
    private static partial Regex SignerReady();
}

/// <summary>
/// A Node.js helper process (Hardhat node, signer): output drained continuously (Hardhat logs every RPC call) with the
/// last lines kept for diagnostics; the whole process tree is killed on dispose, or when the test host exits.
/// </summary>
public sealed class ToolProcess : IAsyncDisposable
{
    private const int TailLines = 300;
    private static readonly HashSet<Process> Running = [];

    static ToolProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Running)
        {
            foreach (var process in Running)
            {
                TryKill(process);
            }
        }
    };

    private readonly Process _process;
    private readonly string _name;
    private readonly Queue<string> _tail = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string?> Seen)> _waiters = [];
    private readonly Lock _gate = new();
    private int _closedStreams;

    private ToolProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public bool HasExited => _process.HasExited;

    public string Tail
    {
        get
        {
            lock (_gate)
            {
                return $"--- {_name} (last {_tail.Count} lines) ---\n" + string.Join("\n", _tail);
            }
        }
    }

    public static ToolProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        // No Exited handler and no Process call under our lock: Process raises Exited while holding a lock on itself,
        // which HasExited and Dispose take too, so mixing the two with a lock of ours can deadlock.
        var process = new Process { StartInfo = info };
        var tool = new ToolProcess(process, name);
        process.OutputDataReceived += (_, e) => tool.Append(e.Data);
        process.ErrorDataReceived += (_, e) => tool.Append(e.Data);
        process.Start();
        lock (Running)
        {
            Running.Add(process);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>The first line (from now on) matching, or null if the process exits or the time runs out first.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_tail.FirstOrDefault(match) is { } already)
            {
                return already;
            }
            if (_closedStreams == 2)
            {
                return null;
            }
            _waiters.Add((match, seen));
        }
        var finished = await Task.WhenAny(seen.Task, Task.Delay(timeout));
        return finished == seen.Task ? await seen.Task : null;
    }

    private void Append(string? line)
    {
        lock (_gate)
        {
            if (line is null)
            {
                // stdout and stderr both closed: the process is gone (or going), no line will come.
                if (++_closedStreams == 2)
                {
                    foreach (var (_, seen) in _waiters)
                    {
                        seen.TrySetResult(null);
                    }
                    _waiters.Clear();
                }
                return;
            }
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
            foreach (var (match, seen) in _waiters.Where(w => w.Match(line)).ToList())
            {
                seen.TrySetResult(line);
                _waiters.Remove((match, seen));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        TryKill(_process);
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException)
        {
            // Never started, or the kill was sent and it is taking its time.
        }
        lock (Running)
        {
            Running.Remove(_process);
        }
        _process.Dispose();
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
