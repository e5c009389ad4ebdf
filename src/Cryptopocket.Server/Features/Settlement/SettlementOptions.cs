namespace Cryptopocket.Server.Features.Settlement;

/// <summary>Section "Settlement": how purchases are delivered on chain.</summary>
public sealed class SettlementOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Blocks on top of the transfer's own before a purchase is marked coins_sent.</summary>
    public int Confirmations { get; set; } = 2;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A broadcast transfer not mined after this is replaced with the same nonce and a higher fee.</summary>
    public TimeSpan ReplaceAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>New transfers signed per chain per round.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Chain name (as the catalogue spells it) → its endpoints, hot wallet and token contracts.</summary>
    public Dictionary<string, ChainEndpointOptions> Chains { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class ChainEndpointOptions
{
    public string RpcUrl { get; set; } = "";

    /// <summary>A signer answering eth_signTransaction (Web3Signer, Clef, the sandbox signer). Keys never live here.</summary>
    public string SignerUrl { get; set; } = "";

    public long ChainId { get; set; }
    public string HotWallet { get; set; } = "";

    /// <summary>The symbol of the chain's own coin (sent as value, not through a token contract).</summary>
    public string NativeSymbol { get; set; } = "ETH";

    public int? Confirmations { get; set; }

    /// <summary>Asset symbol → ERC-20 contract address.</summary>
    public Dictionary<string, string> Tokens { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
