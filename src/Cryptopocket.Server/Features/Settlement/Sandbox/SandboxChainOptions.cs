namespace Cryptopocket.Server.Features.Settlement.Sandbox;

/// <summary>Section "SandboxChain": the local chain <c>serve</c> runs in sandbox mode.</summary>
public sealed class SandboxChainOptions
{
    public bool Enabled { get; set; } = true;
    public int RpcPort { get; set; } = 8545;
    public int SignerPort { get; set; } = 8550;

    /// <summary>The project's chain/ folder; found next to the build when empty.</summary>
    public string ChainDirectory { get; set; } = "";

    /// <summary>What each catalogue chain calls the local node's own coin.</summary>
    public Dictionary<string, string> NativeSymbols { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["polygon"] = "POL",
        ["ethereum"] = "ETH",
        ["bsc"] = "BNB",
    };

    /// <summary>Tokens minted to each hot wallet when the chain is created, in whole units.</summary>
    public decimal InitialTokenFloat { get; set; } = 10_000_000m;

    /// <summary>Native coin sent to each hot wallet for gas (and native-coin purchases), in whole units.</summary>
    public decimal InitialNativeFloat { get; set; } = 1_000m;

    /// <summary>Native coin sent to each sweep account, in whole units: it pays the gas of sweeps and holds nothing else.</summary>
    public decimal InitialSweeperNative { get; set; } = 10m;
}
