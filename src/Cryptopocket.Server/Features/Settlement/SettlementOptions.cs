namespace Cryptopocket.Server.Features.Settlement;

/// <summary>Section "Settlement": how purchases are delivered on chain.</summary>
public sealed class SettlementOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Blocks on top of the transfer's own before a purchase is marked coins_sent.</summary>
    public int Confirmations { get; set; } = 2;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// While transfers are in flight, how often the worker asks the node for its latest block (one eth_blockNumber) and
    /// starts a round as soon as there is a new one, rather than waiting for <see cref="PollInterval"/>: a transfer's
    /// confirmations come with blocks, so that is when it can be finished. Zero turns it off.
    /// </summary>
    public TimeSpan BlockPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A broadcast transfer not mined after this is replaced with the same nonce and a higher fee.</summary>
    public TimeSpan ReplaceAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>New transfers signed per chain per round.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// After a round that sent a full batch, start the next at once (purchases are queuing) rather than wait for
    /// <see cref="PollInterval"/>. Off, rounds keep their pace: the crash tests use that to land kills mid-settlement.
    /// </summary>
    public bool DrainWhenFull { get; set; } = true;

    /// <summary>
    /// Start a round as soon as a purchase is paid (a PAY_IN event committed) rather than at the next
    /// <see cref="PollInterval"/>: the customer's coins leave up to a poll sooner. Off, rounds keep their pace (the crash
    /// tests, like <see cref="DrainWhenFull"/>).
    /// </summary>
    public bool WakeOnPayment { get; set; } = true;

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

    /// <summary>
    /// The DepositFactory contract (chain/contracts/DepositFactory.sol) whose CREATE2 addresses are the off-ramp's deposit
    /// addresses on this chain. Empty means the off-ramp is not offered here: without a factory there is nowhere for a
    /// customer to send coins that the platform controls.
    /// </summary>
    public string DepositFactory { get; set; } = "";

    /// <summary>
    /// The Disperse contract (chain/contracts/Disperse.sol) through which token payouts go out many to a transaction.
    /// The hot wallet must have approved it for every token it pays out. Empty means no batching on this chain: one
    /// transfer transaction per purchase, as before batching existed.
    /// </summary>
    public string Disperse { get; set; } = "";

    /// <summary>
    /// keccak256 of the forwarder's creation code, the last input of every deposit address. Empty means "ask the
    /// factory" (<c>forwarderCodeHash()</c>); setting it lets addresses be derived while the node is unreachable, and it
    /// must then equal what the factory answers, or deposits go to addresses no sweep can reach.
    /// </summary>
    public string DepositCodeHash { get; set; } = "";

    /// <summary>
    /// A signer account used only to send sweeps (and pay their gas). Kept apart from <see cref="HotWallet"/> because
    /// settlement assigns the hot wallet's nonces from its own records: a second sender on that account would collide.
    /// </summary>
    public string SweepWallet { get; set; } = "";

    /// <summary>
    /// Where sweeps land: the factory's immutable <c>treasury()</c>. Informational only (the contract decides, not this
    /// setting), for status output and for checking the deployment matches what the operator intended.
    /// </summary>
    public string Treasury { get; set; } = "";
}
