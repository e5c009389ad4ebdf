using System.Globalization;
using System.Numerics;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Rampoffs.Deposits;
using Cryptopocket.Server.Features.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>
/// One watcher round on one chain: read the confirmed blocks after the cursor, record every transfer into a watched
/// deposit address, apply it to its operation, and move the cursor, all in one transaction that only commits if the
/// cursor was still where this round found it. Then, once caught up, close operations whose window has ended.
/// </summary>
public sealed class DepositWatch(
    AppDbContext db, ChainRegistry chains, RampoffLifecycle lifecycle, IOptionsMonitor<CatalogueOptions> catalogue,
    IOptionsMonitor<RampoffOptions> options, IOptionsMonitor<SettlementOptions> settlement, TimeProvider clock, ILogger<DepositWatch> logger)
{
    /// <summary>Above this many coin units a deposit cannot be booked exactly (decimal(38,18)); it is held at zero and an operator told.</summary>
    private const decimal MaxBookableAmount = 100_000_000_000_000_000_000m;

    /// <summary>Answers true when the watcher has read up to the chain's confirmed head.</summary>
    public async Task<bool> ScanAsync(string chainName, CancellationToken cancellationToken)
    {
        if (chains.Find(chainName) is not { DepositFactory.Length: > 0 } endpoint)
        {
            return false;
        }
        var node = chains.Node(endpoint);
        var head = (long)await node.BlockNumberAsync(cancellationToken);
        var confirmations = Math.Max(1, endpoint.Confirmations ?? settlement.CurrentValue.Confirmations);
        var safe = head - (confirmations - 1);
        var cursor = await CursorAsync(chainName, safe, head, cancellationToken);
        var from = cursor + 1;
        var to = Math.Min(safe, from + options.CurrentValue.MaxBlocksPerRound - 1);
        if (to < from)
        {
            return true;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var watchSince = now - options.CurrentValue.WatchClosedFor;
        var watched = await db.Rampoffs.AsNoTracking()
            .Where(r => r.Chain == chainName && (r.Status == RampoffStatuses.WaitingCrypto || r.UpdatedAt >= watchSince))
            .Select(r => r.DepositAddress).ToListAsync(cancellationToken);
        IReadOnlyList<ObservedDeposit> observed = watched.Count == 0
            ? []
            : await DepositScanner.ScanAsync(node, from, to, endpoint.Tokens.Values.ToList(), watched, includeNative: true, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var deposit in observed)
        {
            await RecordAsync(chainName, endpoint, deposit, cancellationToken);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another watcher recorded one of these deposits (or changed its operation) first: its work stands, ours
            // rolls back, and the next round starts from wherever the cursor now is.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }
        var moved = await db.ChainScanCursors.Where(c => c.Chain == chainName && c.LastBlock == cursor)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.LastBlock, to).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        if (moved == 0)
        {
            // Another watcher read this range first; its deposits stand, ours roll back.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return to == safe;
    }

    /// <summary>Closes operations on the chain whose deposit window and grace have passed. Call only once caught up.</summary>
    public async Task<int> CloseOverdueAsync(string chainName, CancellationToken cancellationToken)
    {
        var due = clock.GetUtcNow().UtcDateTime - options.CurrentValue.CloseGrace;
        var ids = await db.Rampoffs.AsNoTracking()
            .Where(r => r.Chain == chainName && r.Status == RampoffStatuses.WaitingCrypto && r.DepositDeadline <= due)
            .OrderBy(r => r.DepositDeadline).Select(r => r.Id).Take(200).ToListAsync(cancellationToken);
        var closed = 0;
        foreach (var id in ids)
        {
            db.ChangeTracker.Clear();
            var rampoff = await db.Rampoffs.SingleAsync(r => r.Id == id, cancellationToken);
            if (!rampoff.IsOpen)
            {
                continue;
            }
            try
            {
                lifecycle.Close(rampoff);
                await db.SaveChangesAsync(cancellationToken);
                closed++;
            }
            catch (DbUpdateConcurrencyException)
            {
                // A deposit or another instance changed it meanwhile; the next round looks again.
            }
        }
        db.ChangeTracker.Clear();
        return closed;
    }

    private async Task RecordAsync(string chainName, ChainEndpointOptions endpoint, ObservedDeposit deposit, CancellationToken cancellationToken)
    {
        var exists = await db.RampoffDeposits.AnyAsync(
            d => d.Chain == chainName && d.TxHash == deposit.TxHash && d.LogIndex == deposit.LogIndex, cancellationToken);
        if (exists || db.RampoffDeposits.Local.Any(d => d.TxHash == deposit.TxHash && d.LogIndex == deposit.LogIndex))
        {
            return;
        }
        var rampoff = await db.Rampoffs.SingleOrDefaultAsync(r => r.Chain == chainName && r.DepositAddress == deposit.To, cancellationToken);
        if (rampoff is null)
        {
            return;
        }
        var asset = deposit.TokenContract is null
            ? endpoint.NativeSymbol
            : endpoint.Tokens.FirstOrDefault(t => string.Equals(t.Value, deposit.TokenContract, StringComparison.OrdinalIgnoreCase)).Key;
        if (asset is null)
        {
            return;
        }
        var decimals = catalogue.CurrentValue.FindAsset(asset)?.Decimals ?? 18;
        var amount = ToBookable(deposit.Amount, decimals);
        if (amount is null)
        {
            logger.LogWarning("Deposit {TxHash} to {Address} is too large to book ({Amount} base units); held at zero for an operator", deposit.TxHash, deposit.To, deposit.Amount);
        }
        lifecycle.ApplyDeposit(rampoff, new ConfirmedDeposit(
            chainName, deposit.TxHash, deposit.LogIndex, deposit.BlockNumber, deposit.From, deposit.To, asset, deposit.TokenContract,
            deposit.Amount.ToString(CultureInfo.InvariantCulture), amount ?? 0m));
    }

    private static decimal? ToBookable(BigInteger baseUnits, int decimals)
    {
        var whole = BigInteger.Divide(baseUnits, BigInteger.Pow(10, decimals));
        return whole >= new BigInteger(MaxBookableAmount) ? null : BaseUnits.ToAmount(baseUnits, decimals);
    }

    /// <summary>
    /// Where the watcher stands. A chain seen for the first time starts a little behind the head; a cursor beyond the
    /// head means the chain itself was reset (the sandbox's in-memory node restarted), so it starts over from the
    /// beginning — re-reading is harmless, each deposit is unique.
    /// </summary>
    private async Task<long> CursorAsync(string chainName, long safe, long head, CancellationToken cancellationToken)
    {
        var cursor = await db.ChainScanCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Chain == chainName, cancellationToken);
        if (cursor is null)
        {
            var start = Math.Max(-1, safe - options.CurrentValue.InitialLookbackBlocks);
            db.ChainScanCursors.Add(new ChainScanCursor { Chain = chainName, LastBlock = start, UpdatedAt = clock.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance created it first.
            }
            db.ChangeTracker.Clear();
            return (await db.ChainScanCursors.AsNoTracking().SingleAsync(c => c.Chain == chainName, cancellationToken)).LastBlock;
        }
        if (cursor.LastBlock > head)
        {
            logger.LogWarning("The {Chain} chain is behind the watcher's cursor ({Cursor} > {Head}): it was reset; reading it again from the start", chainName, cursor.LastBlock, head);
            await db.ChainScanCursors.Where(c => c.Chain == chainName && c.LastBlock == cursor.LastBlock)
                .ExecuteUpdateAsync(c => c.SetProperty(x => x.LastBlock, -1L), cancellationToken);
            return -1;
        }
        return cursor.LastBlock;
    }
}
