using System.Text.Json;

namespace Cryptopocket.Server.Features.Settlement.Sandbox;

/// <summary>
/// What the sandbox set up on its chain, saved as DATA_DIR/sandbox-chain/chain.json for the next start and for the
/// <c>cryptopocket chain</c> commands. The node keeps its state in memory only: when it is restarted, the chain and this
/// file start afresh.
/// </summary>
public sealed record SandboxChainState
{
    public required string RpcUrl { get; init; }
    public required string SignerUrl { get; init; }
    public required long ChainId { get; init; }

    /// <summary>Hardhat's first development account: owner of the test tokens, source of the faucet.</summary>
    public required string FaucetAccount { get; init; }

    public required Dictionary<string, SandboxChain> Chains { get; init; }

    public static string PathIn(string dataDir) => Path.Combine(dataDir, "sandbox-chain", "chain.json");

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static SandboxChainState? Load(string dataDir)
    {
        var path = PathIn(dataDir);
        return File.Exists(path) ? JsonSerializer.Deserialize<SandboxChainState>(File.ReadAllText(path), Json) : null;
    }

    public void Save(string dataDir)
    {
        var path = PathIn(dataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }
}

public sealed record SandboxChain
{
    public required string HotWallet { get; init; }
    public required string NativeSymbol { get; init; }

    /// <summary>Symbol → contract address and decimals.</summary>
    public required Dictionary<string, SandboxToken> Tokens { get; init; }

    // The off-ramp's pieces. Not "required": a chain.json written before they existed must still load (it then fails
    // the contract check and the chain is set up afresh).

    /// <summary>The DepositFactory deployed for this chain name; its CREATE2 addresses are the deposit addresses.</summary>
    public string DepositFactory { get; init; } = "";

    /// <summary>The factory's <c>forwarderCodeHash()</c>, read once after deployment.</summary>
    public string DepositCodeHash { get; init; } = "";

    /// <summary>Where sweeps land: the hot wallet, so off-ramp deposits top up the on-ramp's float.</summary>
    public string Treasury { get; init; } = "";

    /// <summary>The signer account that sends sweeps (never the hot wallet, whose nonces settlement owns).</summary>
    public string SweepWallet { get; init; } = "";

    /// <summary>
    /// The Disperse contract settlement batches this chain's token payouts through, approved by the hot wallet for
    /// every token. Empty in a chain.json written before batching existed: such a chain is reused without batching
    /// (one transfer per purchase, as it was made), rather than deployed afresh and approved behind the back of
    /// transfers already recorded against it. A new chain (a restarted node, a new data dir) gets one.
    /// </summary>
    public string Disperse { get; init; } = "";
}

public sealed record SandboxToken(string Address, int Decimals);
