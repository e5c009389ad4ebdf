using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement.Evm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Settlement;

/// <summary>
/// What a round left: <paramref name="FullBatch"/> when it dispatched a full batch (more purchases are probably waiting);
/// <paramref name="InFlight"/> when transfers of the chain are recorded or broadcast and not finished, so the chain's next
/// block may confirm them.
/// </summary>
public readonly record struct SettlementRound(bool FullBatch, bool InFlight);

/// <summary>
/// One settlement round on one chain. Order matters: first reconcile every transfer already recorded with what the
/// chain says (re-broadcast, replace, or mark reverted; the confirmed are finished beside the next step), only then
/// sign new ones. A transfer is written to the database —
/// nonce, recipient, amount, signed bytes, hash — before it is broadcast, so a crash at any line leaves either nothing
/// on chain or a record that the next round finds and follows to the end.
/// <para>
/// Both halves work a batch at a time (ChainSettlement.Dispatch.cs, ChainSettlement.Reconcile.cs): a round's new
/// transfers are signed together and recorded in one transaction before the first of them leaves, and the in-flight
/// ones are checked with one batch of receipts and finished many per transaction. The per-transaction paths
/// (re-broadcast after a crash, replacement, revert) are the rare ones and stay one at a time.
/// </para>
/// <para>
/// On a chain with a Disperse contract, a token's purchases go out up to <see cref="LegsPerTransaction"/> to a
/// transaction (ChainSettlement.Batching.cs): one row per purchase, its legs sharing the transaction's nonce, bytes and
/// hash. Everything after signing treats the legs of a transaction as one: one broadcast, one receipt, one replacement,
/// all finished (or reverted) in one database transaction.
/// </para>
/// </summary>
public sealed partial class ChainSettlement(
    AppDbContext db, IDbContextFactory<AppDbContext> contexts, ChainRegistry chains, IOptionsMonitor<SettlementOptions> options, TimeProvider clock,
    ILogger<ChainSettlement> logger)
{
    /// <summary>Replacements of one transfer after which an operator is alerted.</summary>
    public const int StuckAlertAfterReplacements = 3;

    /// <summary>One round, and what it left behind (<see cref="SettlementRound"/>).</summary>
    /// <remarks>
    /// Finishing the confirmed and signing new transfers touch different rows (purchases that have a transfer against
    /// ones that have none) and wait on different things (the database against the node and the signer), so on
    /// PostgreSQL they run side by side, finishing on a database context of its own: under the benchmark's load, rounds
    /// of 200 came every 230–300 ms instead of 280–440 (docs/performance.md, "Eighteenth session"). SQLite allows one
    /// writer at a time and would refuse one of two transactions that read and then write, so there they run one after
    /// the other.
    /// </remarks>
    public async Task<SettlementRound> RunRoundAsync(string chainName, CancellationToken cancellationToken)
    {
        var chain = chains.Find(chainName);
        if (chain is null)
        {
            return default;
        }
        var node = chains.Node(chain);
        var reconciled = await ReconcileAsync(chainName, chain, node, cancellationToken);
        var finishing = FinishConfirmedAsync(reconciled.ToFinish, chain, cancellationToken);
        if (!db.IsPostgres)
        {
            await finishing;
        }
        var dispatching = DispatchAsync(chainName, chain, node, cancellationToken);
        // Both are awaited before the round's context goes, whichever fails.
        await Task.WhenAll(finishing, dispatching);
        var (fullBatch, recorded) = await dispatching;
        return new SettlementRound(fullBatch, reconciled.Unfinished || recorded);
    }

    /// <summary>One payout in a transaction: who gets how much, in base units.</summary>
    private readonly record struct Payout(string Recipient, BigInteger Amount);

    /// <summary>
    /// What a transaction calls: a Disperse call paying every payout of <paramref name="token"/> in order, an ERC-20
    /// transfer of the one payout, or the one payout as native value. The only place a payout becomes call data, so a
    /// fee replacement rebuilt from recorded legs is byte for byte the call first signed.
    /// </summary>
    private static (string To, BigInteger Value, string Data) CallOf(string? disperse, string? token, IReadOnlyList<Payout> payouts)
    {
        if (disperse is not null)
        {
            return (disperse, BigInteger.Zero, DisperseAbi.EncodeDisperseToken(token!, [.. payouts.Select(p => p.Recipient)], [.. payouts.Select(p => p.Amount)]));
        }
        var single = payouts.Single();
        return token is null ? (single.Recipient, single.Amount, "0x") : (token, BigInteger.Zero, Erc20.EncodeTransfer(single.Recipient, single.Amount));
    }

    /// <summary>A recorded transaction's call, rebuilt from all its legs in their order.</summary>
    private static (string To, BigInteger Value, string Data) CallOf(IReadOnlyList<ChainTransfer> legs) =>
        CallOf(legs[0].DisperseContract, legs[0].TokenContract,
            [.. legs.OrderBy(l => l.Leg).Select(l => new Payout(l.ToAddress, BigInteger.Parse(l.AmountBaseUnits, CultureInfo.InvariantCulture)))]);

    private static JsonObject Transaction(string from, (string To, BigInteger Value, string Data) call, BigInteger nonce, BigInteger gas,
        BigInteger maxFee, BigInteger priority, long chainId) => new()
    {
        ["from"] = from,
        ["to"] = call.To,
        ["value"] = Hex.Quantity(call.Value),
        ["data"] = call.Data,
        ["nonce"] = Hex.Quantity(nonce),
        ["gas"] = Hex.Quantity(gas),
        ["maxFeePerGas"] = Hex.Quantity(maxFee),
        ["maxPriorityFeePerGas"] = Hex.Quantity(priority),
        ["chainId"] = Hex.Quantity(chainId),
        ["type"] = "0x2",
    };

    /// <summary>
    /// A leg's part of its transaction's network fee, in wei: the fee split evenly, the remainder of the division to
    /// leg 0, so the legs' parts add up to the receipt's fee exactly and every part is a whole number of wei.
    /// </summary>
    public static BigInteger FeeShare(BigInteger fee, int legs, int leg) => fee / legs + (leg == 0 ? fee % legs : BigInteger.Zero);

    /// <summary>A signed transaction's hash is the Keccak-256 of its raw bytes (type byte included).</summary>
    public static string HashOf(string raw) => Hex.Data(Keccak256.Hash(Hex.ParseData(raw)));

    private static bool IsAlreadyKnown(JsonRpcException exception) =>
        exception.RpcMessage.Contains("already known", StringComparison.OrdinalIgnoreCase)
        || exception.RpcMessage.Contains("known transaction", StringComparison.OrdinalIgnoreCase)
        || exception.RpcMessage.Contains("already imported", StringComparison.OrdinalIgnoreCase)
        || exception.RpcMessage.Contains("nonce too low", StringComparison.OrdinalIgnoreCase)
        || exception.RpcMessage.Contains("replacement transaction underpriced", StringComparison.OrdinalIgnoreCase);

    private async Task RaiseAlertAsync(string key, string message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Racing instances may each open one; any open alert for the key is the one to update.
        var open = await db.OperatorAlerts.FirstOrDefaultAsync(a => a.Key == key && a.ResolvedAt == null, cancellationToken);
        if (open is null)
        {
            db.OperatorAlerts.Add(new OperatorAlert { Key = key, Message = Truncate(message, 1000), RaisedAt = now, LastSeenAt = now });
            logger.LogWarning("Operator alert {Key}: {Message}", key, message);
        }
        else
        {
            open.Message = Truncate(message, 1000);
            open.LastSeenAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ResolveAlertsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count > 0)
        {
            await db.OperatorAlerts.Where(a => keys.Contains(a.Key) && a.ResolvedAt == null)
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.ResolvedAt, clock.GetUtcNow().UtcDateTime), cancellationToken);
        }
    }

    /// <summary>The purchases a transaction pays, for alerts: "purchase X" or "purchases X, Y, …".</summary>
    private static string Purchases(IReadOnlyList<ChainTransfer> legs) =>
        legs.Count == 1 ? $"purchase {legs[0].PaymentId}" : $"purchases {string.Join(", ", legs.Select(l => l.PaymentId))}";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
