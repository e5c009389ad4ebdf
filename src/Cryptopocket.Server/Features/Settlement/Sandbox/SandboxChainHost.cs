using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Rampoffs.Deposits;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Infrastructure;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Settlement.Sandbox;

/// <summary>
/// In sandbox mode, brings up a real local EVM chain next to the server: the project's pinned Hardhat node and its
/// own signer (chain/), the project's ERC-20 test tokens deployed for every catalogue token on every chain name, and
/// a funded hot wallet per chain name; for the off-ramp, a DepositFactory per chain name and a funded sweep account. A node already running from an earlier start is reused when it still has the
/// contracts; otherwise everything is created afresh. The chains are then handed to settlement like configured ones.
/// </summary>
public sealed class SandboxChainHost(
    ServerOptions server, IOptions<SandboxChainOptions> options, IOptions<CatalogueOptions> catalogue, ChainRegistry registry,
    IHttpClientFactory httpClients, ILogger<SandboxChainHost> logger) : BackgroundService
{
    public const long ChainId = 31337;
    private readonly List<ChildProcess> _children = [];

    /// <summary>Completes when the chain is ready (or could not be started); tests and the CLI wait on it.</summary>
    public TaskCompletionSource<SandboxChainState?> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var state = await BringUpAsync(stoppingToken);
            Ready.TrySetResult(state);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "The sandbox chain could not be started; purchases will wait in payment_received");
            Ready.TrySetResult(null);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var child in _children)
        {
            child.Dispose();
        }
    }

    private async Task<SandboxChainState?> BringUpAsync(CancellationToken cancellationToken)
    {
        var chainDirectory = FindChainDirectory();
        if (chainDirectory is null)
        {
            logger.LogError("No chain/ folder with installed tooling was found; run ./scripts/sandbox.sh, which installs it");
            return null;
        }
        var opts = options.Value;
        var rpcUrl = $"http://127.0.0.1:{opts.RpcPort}/";
        var signerUrl = $"http://127.0.0.1:{opts.SignerPort}/";
        var node = new EvmRpcClient(httpClients.CreateClient("evm"), new Uri(rpcUrl));
        var signer = new EvmRpcClient(httpClients.CreateClient("evm"), new Uri(signerUrl));

        var saved = SandboxChainState.Load(server.DataDir);
        var alive = await IsAliveAsync(node, cancellationToken);
        var reuse = alive && saved is not null && await StillHasContractsAsync(node, saved, cancellationToken);
        if (!alive)
        {
            _children.Add(ChildProcess.Start("node",
                [Path.Combine(chainDirectory, "node_modules", "hardhat", "internal", "cli", "bootstrap.js"), "node", "--hostname", "127.0.0.1", "--port",
                 opts.RpcPort.ToString(CultureInfo.InvariantCulture), "--config", "hardhat.config.cjs"],
                chainDirectory, new Dictionary<string, string> { ["HARDHAT_DISABLE_TELEMETRY_PROMPT"] = "true" }, logger, "hardhat"));
            await WaitAsync(() => IsAliveAsync(node, cancellationToken), "the Hardhat node", cancellationToken);
        }
        if (!await IsHealthyAsync(signer, cancellationToken))
        {
            var keystore = Path.Combine(server.DataDir, "sandbox-chain", "keystore");
            Directory.CreateDirectory(keystore);
            // Two keys per chain name: its hot wallet and its sweep account (see AssignAccounts).
            var keys = 2 * catalogue.Value.Chains.Count;
            _children.Add(ChildProcess.Start("node",
                [Path.Combine(chainDirectory, "signer", "signer.mjs"), "--port", opts.SignerPort.ToString(CultureInfo.InvariantCulture), "--keystore", keystore,
                 "--create", keys.ToString(CultureInfo.InvariantCulture)],
                chainDirectory, new Dictionary<string, string> { ["CRYPTOPOCKET_SIGNER_PASSWORD"] = SignerPassword() }, logger, "signer"));
            await WaitAsync(() => IsHealthyAsync(signer, cancellationToken), "the sandbox signer", cancellationToken);
        }

        var state = reuse ? saved! : await CreateChainAsync(chainDirectory, node, signer, rpcUrl, signerUrl, cancellationToken);
        state.Save(server.DataDir);
        foreach (var (name, chain) in state.Chains)
        {
            registry.Register(name, new ChainEndpointOptions
            {
                RpcUrl = rpcUrl, SignerUrl = signerUrl, ChainId = ChainId, HotWallet = chain.HotWallet, NativeSymbol = chain.NativeSymbol,
                Tokens = chain.Tokens.ToDictionary(t => t.Key, t => t.Value.Address, StringComparer.OrdinalIgnoreCase),
                DepositFactory = chain.DepositFactory, DepositCodeHash = chain.DepositCodeHash, SweepWallet = chain.SweepWallet, Treasury = chain.Treasury,
                Disperse = chain.Disperse,
            });
        }
        logger.LogInformation("Sandbox chain ready at {RpcUrl} ({Mode}); signer at {SignerUrl}", rpcUrl, reuse ? "reused" : "new", signerUrl);
        Console.WriteLine($"Sandbox chain: {rpcUrl} (chain id {ChainId}){(reuse ? ", reused" : "")}. Details: cryptopocket chain status");
        return state;
    }

    private async Task<SandboxChainState> CreateChainAsync(string chainDirectory, EvmRpcClient node, EvmRpcClient signer, string rpcUrl, string signerUrl, CancellationToken cancellationToken)
    {
        var opts = options.Value;
        var faucet = (await node.CallAsync("eth_accounts", [], cancellationToken))[0].GetString()!;
        var names = catalogue.Value.Chains.Select(c => c.Name).ToList();
        var accounts = AssignAccounts(names.Count, (await signer.CallAsync("eth_accounts", [], cancellationToken)).EnumerateArray().Select(a => a.GetString()!).ToList());

        var chains = new Dictionary<string, SandboxChain>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var (hotWallet, sweeper) = accounts[i];
            var native = opts.NativeSymbols.GetValueOrDefault(name, "ETH");
            var tokens = new Dictionary<string, SandboxToken>(StringComparer.OrdinalIgnoreCase);
            foreach (var asset in catalogue.Value.Assets.Where(a => a.Chains.Contains(name, StringComparer.OrdinalIgnoreCase)
                                                                   && !string.Equals(a.Symbol, native, StringComparison.OrdinalIgnoreCase)))
            {
                var address = await DeployAsync(node, faucet, chainDirectory, "TestToken",
                    Erc20.EncodeTokenConstructor(asset.Name, asset.Symbol, (byte)asset.Decimals), cancellationToken);
                await SendAndWaitAsync(node, new JsonObject
                {
                    ["from"] = faucet, ["to"] = address,
                    ["data"] = Erc20.EncodeMint(hotWallet, BaseUnits.From(opts.InitialTokenFloat, asset.Decimals)),
                }, contract: false, cancellationToken);
                tokens[asset.Symbol] = new SandboxToken(address, asset.Decimals);
            }
            await SendAndWaitAsync(node, new JsonObject
            {
                ["from"] = faucet, ["to"] = hotWallet, ["value"] = Hex.Quantity(BaseUnits.From(opts.InitialNativeFloat, 18)),
            }, contract: false, cancellationToken);
            // The treasury is the hot wallet: what customers sell on the off-ramp replenishes what the on-ramp pays out.
            var factory = await DeployAsync(node, faucet, chainDirectory, "DepositFactory", DepositFactoryAbi.EncodeConstructor(hotWallet), cancellationToken);
            var codeHash = (await node.CallAsync("eth_call",
                [new JsonObject { ["to"] = factory, ["data"] = DepositFactoryAbi.EncodeForwarderCodeHash() }, "latest"], cancellationToken)).GetString()!;
            await SendAndWaitAsync(node, new JsonObject
            {
                ["from"] = faucet, ["to"] = sweeper, ["value"] = Hex.Quantity(BaseUnits.From(opts.InitialSweeperNative, 18)),
            }, contract: false, cancellationToken);
            // Batched payouts: a Disperse per chain name, approved by the hot wallet for every token it pays out. The
            // approvals are the hot wallet's own transactions, so they go through the signer like its payouts, and are
            // mined before the chain is registered: settlement never races them for a nonce.
            var disperse = await DeployAsync(node, faucet, chainDirectory, "Disperse", [], cancellationToken);
            foreach (var token in tokens.Values)
            {
                await ApproveAsync(node, signer, hotWallet, token.Address, disperse, Erc20.UnlimitedAllowance, ChainId, cancellationToken);
            }
            chains[name] = new SandboxChain
            {
                HotWallet = hotWallet, NativeSymbol = native, Tokens = tokens,
                DepositFactory = factory, DepositCodeHash = codeHash, Treasury = hotWallet, SweepWallet = sweeper, Disperse = disperse,
            };
        }
        return new SandboxChainState { RpcUrl = rpcUrl, SignerUrl = signerUrl, ChainId = ChainId, FaucetAccount = EvmAddress.ToChecksum(faucet), Chains = chains };
    }

    /// <summary>
    /// Sends from the node's own unlocked development account (sandbox set-up and faucet only; deliveries to customers
    /// always go through the signer) and waits for the receipt. Answers the new contract's address, or the tx hash.
    /// </summary>
    public static async Task<string> SendAndWaitAsync(EvmRpcClient node, JsonObject transaction, bool contract, CancellationToken cancellationToken)
    {
        var hash = (await node.CallAsync("eth_sendTransaction", [transaction], cancellationToken)).GetString()!;
        var receipt = await WaitForReceiptAsync(node, hash, cancellationToken);
        return contract ? receipt.GetProperty("contractAddress").GetString()! : hash;
    }

    /// <summary>
    /// <paramref name="owner"/> (a signer account) sets its <paramref name="token"/> allowance for <paramref name="spender"/>:
    /// signed by the signer, broadcast, and waited for. Used before settlement starts (the approvals settlement's
    /// Disperse batches need) and by tests that revoke one.
    /// </summary>
    public static async Task ApproveAsync(EvmRpcClient node, EvmRpcClient signer, string owner, string token, string spender, BigInteger amount,
        long chainId, CancellationToken cancellationToken)
    {
        var call = new JsonObject { ["from"] = owner, ["to"] = token, ["value"] = Hex.Quantity(0), ["data"] = Erc20.EncodeApprove(spender, amount) };
        var gas = await node.EstimateGasAsync((JsonObject)call.DeepClone(), cancellationToken) * 6 / 5;
        var (maxFee, priority) = await node.SuggestFeesAsync(cancellationToken);
        call["nonce"] = Hex.Quantity(await node.TransactionCountAsync(owner, "pending", cancellationToken));
        call["gas"] = Hex.Quantity(gas);
        call["maxFeePerGas"] = Hex.Quantity(maxFee);
        call["maxPriorityFeePerGas"] = Hex.Quantity(priority);
        call["chainId"] = Hex.Quantity(chainId);
        call["type"] = "0x2";
        var hash = await node.SendRawTransactionAsync(await signer.SignTransactionAsync(call, cancellationToken), cancellationToken);
        await WaitForReceiptAsync(node, hash, cancellationToken);
    }

    private static async Task<JsonElement> WaitForReceiptAsync(EvmRpcClient node, string hash, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var receipt = await node.CallAsync("eth_getTransactionReceipt", [hash], cancellationToken);
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                if (Hex.ParseQuantity(receipt.GetProperty("status").GetString()) != BigInteger.One)
                {
                    throw new InvalidOperationException($"Sandbox set-up transaction {hash} reverted.");
                }
                return receipt;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"Sandbox set-up transaction {hash} was not mined.");
    }

    /// <summary>
    /// Gives each chain name (in catalogue order) a hot wallet and a sweep account from the signer's keys, which it
    /// lists sorted: the first half are hot wallets, the second half sweepers. The same keystore therefore always gives
    /// the same roles, and no account ever has two.
    /// </summary>
    private static List<(string HotWallet, string Sweeper)> AssignAccounts(int chainCount, List<string> signerAccounts)
    {
        if (signerAccounts.Count < 2 * chainCount)
        {
            // Only when a signer left running by an older version (created with one key per chain) is reused.
            throw new InvalidOperationException(
                $"The sandbox signer holds {signerAccounts.Count} keys; {2 * chainCount} are needed (a hot wallet and a sweeper per chain). Stop it and start again.");
        }
        var sorted = signerAccounts.Select(EvmAddress.ToChecksum).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return [.. Enumerable.Range(0, chainCount).Select(i => (sorted[i], sorted[chainCount + i]))];
    }

    /// <summary>
    /// Deploys <paramref name="contract"/> as compiled into chain/build (scripts/compile.mjs), its ABI-encoded
    /// <paramref name="constructorArguments"/> after the bytecode, from <paramref name="from"/> (an account the node
    /// holds), and answers its checksummed address once mined.
    /// </summary>
    public static async Task<string> DeployAsync(EvmRpcClient node, string from, string chainDirectory, string contract, byte[] constructorArguments,
        CancellationToken cancellationToken)
    {
        using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(chainDirectory, "build", $"{contract}.json"), cancellationToken));
        var data = Hex.Data([.. Hex.ParseData(artifact.RootElement.GetProperty("bytecode").GetString()!), .. constructorArguments]);
        return EvmAddress.ToChecksum(await SendAndWaitAsync(node, new JsonObject { ["from"] = from, ["data"] = data }, contract: true, cancellationToken));
    }

    private static async Task<bool> StillHasContractsAsync(EvmRpcClient node, SandboxChainState state, CancellationToken cancellationToken)
    {
        // A chain.json from before the off-ramp has no factories: an empty address counts as missing code. One from
        // before batched payouts has no Disperse: that chain is reused as it is, without batching (see SandboxChain.Disperse).
        var contracts = state.Chains.Values.SelectMany(c => c.Tokens.Values.Select(t => t.Address).Append(c.DepositFactory)
            .Concat(c.Disperse.Length > 0 ? [c.Disperse] : []));
        foreach (var address in contracts)
        {
            if (address.Length == 0 || await node.CodeAsync(address, cancellationToken) is "0x" or "")
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<bool> IsAliveAsync(EvmRpcClient node, CancellationToken cancellationToken)
    {
        try
        {
            return await node.ChainIdAsync(cancellationToken) == ChainId;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonRpcException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }

    private static async Task<bool> IsHealthyAsync(EvmRpcClient signer, CancellationToken cancellationToken)
    {
        try
        {
            return (await signer.CallAsync("health", [], cancellationToken)).GetString() == "ok";
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonRpcException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> ready, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await ready())
            {
                return;
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException($"{what} did not start within 60 s.");
    }

    /// <summary>The sandbox signer's keystore password: random, kept beside the keystore, readable by this user only.</summary>
    private string SignerPassword()
    {
        var path = Path.Combine(server.DataDir, "sandbox-chain", "signer-password");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return File.ReadAllText(path).Trim();
    }

    private string? FindChainDirectory()
    {
        var configured = options.Value.ChainDirectory;
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(Path.Combine(configured, "node_modules")) ? configured : null;
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "chain");
            if (File.Exists(Path.Combine(candidate, "package.json")) && Directory.Exists(Path.Combine(candidate, "node_modules")))
            {
                return candidate;
            }
        }
        return null;
    }
}
