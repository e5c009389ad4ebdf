using System.Globalization;
using System.Numerics;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Settlement.Evm;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Settlement;

public sealed partial class ChainSettlement
{
    /// <summary>In-flight transfers looked at per round, lowest nonces first.</summary>
    private const int InFlightPerRound = 500;

    /// <summary>
    /// Confirmed purchases finished per transaction: big enough that a round's batch takes a couple of commits, small
    /// enough that a conflict with a racing instance sends few of them the slow way (one by one).
    /// </summary>
    private const int FinishedPerTransaction = 100;

    /// <summary>
    /// A confirmed leg as the round read it (its purchase, chain name and version) and its part of its transaction's fee, in wei
    /// (<see cref="FeeShare"/>).
    /// </summary>
    private sealed record Confirmed(long TransferId, string PaymentId, string Chain, int Version, TransactionReceipt Receipt, BigInteger FeeWei);

    /// <summary>
    /// What reconciling found: the confirmed transactions, in chunks to finish together (<see cref="FinishConfirmedAsync"/>),
    /// and whether any transaction stays in flight (not mined yet, or mined without its confirmations).
    /// </summary>
    private sealed record Reconciled(IReadOnlyList<List<IReadOnlyList<Confirmed>>> ToFinish, bool Unfinished)
    {
        public static readonly Reconciled Nothing = new([], false);
    }

    /// <summary>
    /// Every in-flight transaction against one batch of receipts. The ones that need a step of their own (a revert, a
    /// re-broadcast, a replacement) get it here, each on a fresh read of its legs since another instance may have moved
    /// them on since the batch was read; the confirmed are answered, to be finished together by the caller. A
    /// transaction is its legs, (chain, wallet, nonce): they are looked up, finished, reverted, re-broadcast and
    /// replaced as one.
    /// </summary>
    private async Task<Reconciled> ReconcileAsync(string chainName, ChainEndpointOptions chain, EvmRpcClient node, CancellationToken cancellationToken)
    {
        var inFlight = await InFlightAsync(chainName, cancellationToken);
        if (inFlight.Count == 0)
        {
            return Reconciled.Nothing;
        }
        var confirmations = chain.Confirmations ?? options.CurrentValue.Confirmations;
        var (head, receipts) = await MinedReceiptsAsync(node, inFlight, cancellationToken);
        var confirmed = new List<IReadOnlyList<Confirmed>>();
        var reverted = new List<(ChainTransfer Transaction, TransactionReceipt Receipt)>();
        var unmined = new List<ChainTransfer>();
        for (var i = 0; i < inFlight.Count; i++)
        {
            var legs = inFlight[i];
            if (receipts[i] is not { } receipt)
            {
                unmined.Add(legs[0]);
            }
            else if (!receipt.Succeeded)
            {
                reverted.Add((legs[0], receipt));
            }
            else if (head - receipt.BlockNumber + 1 >= confirmations)
            {
                var fee = receipt.GasUsed * receipt.EffectiveGasPrice;
                confirmed.Add([.. legs.Select(l => new Confirmed(l.Id, l.PaymentId, l.Chain, l.Version, receipt, FeeShare(fee, legs.Count, l.Leg)))]);
            }
        }

        foreach (var (transaction, receipt) in reverted)
        {
            await StepAsync(transaction, legs => RecordRevertAsync(legs, receipt, cancellationToken), cancellationToken);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // In nonce order: a node that cannot queue (Hardhat automining) takes nonce n+1 only after n.
        foreach (var transaction in unmined.Where(t => t.Status == ChainTransferStatuses.Recorded || now - t.LastBroadcastAt >= options.CurrentValue.ReplaceAfter))
        {
            await StepAsync(transaction, legs => KeepAliveAsync(legs, chain, node, cancellationToken), cancellationToken);
        }
        return new Reconciled([.. InChunks(confirmed)], inFlight.Count > confirmed.Count + reverted.Count);
    }

    /// <summary>
    /// The confirmed transactions finished, a chunk per database transaction, on a database context of their own: on
    /// PostgreSQL this runs beside the round's dispatch, which has the round's context.
    /// </summary>
    private async Task FinishConfirmedAsync(IReadOnlyList<List<IReadOnlyList<Confirmed>>> chunks, ChainEndpointOptions chain, CancellationToken cancellationToken)
    {
        if (chunks.Count == 0)
        {
            return;
        }
        await using var finishing = await contexts.CreateDbContextAsync(cancellationToken);
        foreach (var chunk in chunks)
        {
            await FinishAsync(finishing, chunk, chain, cancellationToken);
        }
    }

    /// <summary>
    /// In-flight transactions, lowest nonces first, each as all its legs in leg order. The row limit may cut the last
    /// transaction's legs; its missing legs are read too, since a transaction is only ever handled whole (its fee split
    /// counts its legs, and its legs finish in one database transaction).
    /// </summary>
    private async Task<List<List<ChainTransfer>>> InFlightAsync(string chainName, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var rows = await db.ChainTransfers.AsNoTracking()
            .Where(t => t.Chain == chainName && (t.Status == ChainTransferStatuses.Recorded || t.Status == ChainTransferStatuses.Broadcast))
            .OrderBy(t => t.Nonce).ThenBy(t => t.FromAddress).ThenBy(t => t.Leg).Take(InFlightPerRound).ToListAsync(cancellationToken);
        if (rows.Count == InFlightPerRound)
        {
            var last = rows[^1];
            rows.AddRange(await db.ChainTransfers.AsNoTracking()
                .Where(t => t.ChainId == last.ChainId && t.FromAddress == last.FromAddress && t.Nonce == last.Nonce && t.Leg > last.Leg)
                .OrderBy(t => t.Leg).ToListAsync(cancellationToken));
        }
        return [.. rows.GroupBy(t => (t.ChainId, t.FromAddress, t.Nonce)).Select(g => g.OrderBy(t => t.Leg).ToList())];
    }

    /// <summary>Confirmed transactions gathered into chunks of about <see cref="FinishedPerTransaction"/> legs, never splitting one.</summary>
    private static IEnumerable<List<IReadOnlyList<Confirmed>>> InChunks(IReadOnlyList<IReadOnlyList<Confirmed>> transactions)
    {
        var chunk = new List<IReadOnlyList<Confirmed>>();
        var legs = 0;
        foreach (var transaction in transactions)
        {
            if (legs > 0 && legs + transaction.Count > FinishedPerTransaction)
            {
                yield return chunk;
                chunk = [];
                legs = 0;
            }
            chunk.Add(transaction);
            legs += transaction.Count;
        }
        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>
    /// The chain's head, and per transaction the receipt of whichever of its versions was mined, or null; every hash
    /// asked in one batch with the head.
    /// </summary>
    private static async Task<(BigInteger Head, IReadOnlyList<TransactionReceipt?> Mined)> MinedReceiptsAsync(EvmRpcClient node,
        IReadOnlyList<List<ChainTransfer>> transactions, CancellationToken cancellationToken)
    {
        // The legs of a transaction share its hashes: leg 0's are asked, once.
        var hashes = transactions.Select(t => t[0].AllHashes.ToList()).ToList();
        var (head, receipts) = await node.HeadAndReceiptsAsync([.. hashes.SelectMany(h => h)], cancellationToken);
        var mined = new TransactionReceipt?[transactions.Count];
        var at = 0;
        for (var i = 0; i < transactions.Count; i++)
        {
            mined[i] = receipts.Skip(at).Take(hashes[i].Count).FirstOrDefault(r => r is not null);
            at += hashes[i].Count;
        }
        return (head, mined);
    }

    /// <summary>
    /// One step on a transaction, its legs read again and tracked; if another instance moved it on meanwhile, its
    /// change stands. Every leg is changed in the step's one SaveChanges, each with its version check, so a racing
    /// instance that changed any leg makes the whole step roll back.
    /// </summary>
    private async Task StepAsync(ChainTransfer transaction, Func<IReadOnlyList<ChainTransfer>, Task> step, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var legs = await db.ChainTransfers
            .Where(t => t.ChainId == transaction.ChainId && t.FromAddress == transaction.FromAddress && t.Nonce == transaction.Nonce)
            .OrderBy(t => t.Leg).ToListAsync(cancellationToken);
        if (legs.Count == 0 || legs.Any(l => l.Status is not (ChainTransferStatuses.Recorded or ChainTransferStatuses.Broadcast)))
        {
            return;
        }
        try
        {
            await step(legs);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogDebug("Transfer {TransferId} changed concurrently", legs[0].Id);
        }
    }

    /// <summary>
    /// Not mined yet. A transaction recorded but maybe never sent (a crash right after signing) is broadcast again: the
    /// same signed bytes, so the node either takes it or already has it. One waiting too long is replaced in place:
    /// the same call (rebuilt from all its legs, in order) with the same nonce and fees up by a quarter, the new hash
    /// recorded on every leg before the new bytes leave.
    /// </summary>
    private async Task KeepAliveAsync(IReadOnlyList<ChainTransfer> legs, ChainEndpointOptions chain, EvmRpcClient node, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var first = legs[0];
        if (first.Status == ChainTransferStatuses.Recorded)
        {
            await BroadcastAsync(legs, node, cancellationToken);
            return;
        }
        if (now - first.LastBroadcastAt < options.CurrentValue.ReplaceAfter)
        {
            return;
        }
        var (maxFee, priority) = await node.SuggestFeesAsync(cancellationToken);
        var bumpedPriority = BigInteger.Max(priority, BigInteger.Parse(first.MaxPriorityFeePerGas, CultureInfo.InvariantCulture) * 5 / 4 + 1);
        var bumpedMaxFee = BigInteger.Max(maxFee, BigInteger.Parse(first.MaxFeePerGas, CultureInfo.InvariantCulture) * 5 / 4 + 1);
        var raw = await chains.Signer(chain).SignTransactionAsync(
            Transaction(first.FromAddress, CallOf(legs), first.Nonce, first.GasLimit, bumpedMaxFee, bumpedPriority, chain.ChainId), cancellationToken);
        // Read from leg 0 before the loop changes it: every leg gets the same values.
        var previous = string.Join(',', first.AllHashes);
        var replacements = first.Replacements + 1;
        var hash = HashOf(raw);
        foreach (var leg in legs)
        {
            leg.PreviousHashes = previous;
            leg.TxHash = hash;
            leg.RawTransaction = leg.Leg == 0 ? raw : "";
            leg.MaxFeePerGas = bumpedMaxFee.ToString(CultureInfo.InvariantCulture);
            leg.MaxPriorityFeePerGas = bumpedPriority.ToString(CultureInfo.InvariantCulture);
            leg.Replacements = replacements;
            leg.Status = ChainTransferStatuses.Recorded;
            leg.Version++;
        }
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Replacing stuck transfer {TransferId} (nonce {Nonce}, {Legs} legs) with {Hash}", first.Id, first.Nonce, legs.Count, hash);
        if (first.Replacements >= StuckAlertAfterReplacements)
        {
            // Fees keep rising and nothing is mined: a congested chain, a node that drops it, or a nonce another
            // sender used. Replacing stays safe (one nonce, one transaction), but a person must look.
            await RaiseAlertAsync($"transfer_stuck:{first.Id}",
                $"Transfer {first.Id} for {Purchases(legs)} (nonce {first.Nonce}) has been replaced {first.Replacements} times without being mined.", cancellationToken);
        }
        await BroadcastAsync(legs, node, cancellationToken);
    }

    /// <summary>A transaction's shared bytes sent once; every leg then records the outcome, in one SaveChanges.</summary>
    private async Task BroadcastAsync(IReadOnlyList<ChainTransfer> legs, EvmRpcClient node, CancellationToken cancellationToken)
    {
        try
        {
            await node.SendRawTransactionAsync(legs[0].RawTransaction, cancellationToken);
        }
        catch (JsonRpcException exception) when (IsAlreadyKnown(exception))
        {
            // The node has it already, or one of its versions was mined: the receipt check will tell which.
        }
        catch (JsonRpcException exception)
        {
            foreach (var leg in legs)
            {
                leg.Error = Truncate(exception.Message, 500);
                leg.Version++;
            }
            await db.SaveChangesAsync(cancellationToken);
            await RaiseAlertAsync($"transfer_broadcast:{legs[0].Id}", $"Transfer {legs[0].Id} for {Purchases(legs)} could not be broadcast: {exception.Message}", cancellationToken);
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var leg in legs)
        {
            leg.Status = ChainTransferStatuses.Broadcast;
            leg.LastBroadcastAt = now;
            leg.Error = null;
            leg.Version++;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Confirmed transactions, all their legs finished together in one database transaction. A transaction a racing
    /// instance finished first is skipped; should one have changed in any other way meanwhile (the guards refuse the
    /// whole database transaction), they are finished one transaction at a time instead, so that the one that changed
    /// does not hold back the others; the legs of one transaction are never parted.
    /// </summary>
    private async Task FinishAsync(AppDbContext finishing, IReadOnlyList<IReadOnlyList<Confirmed>> transactions, ChainEndpointOptions chain, CancellationToken cancellationToken)
    {
        try
        {
            await FinishTogetherAsync(finishing, [.. transactions.SelectMany(t => t)], chain, cancellationToken);
            return;
        }
        catch (DbUpdateConcurrencyException) when (transactions.Count == 1)
        {
            logger.LogDebug("Transfer {TransferId} changed concurrently", transactions[0][0].TransferId);
            return;
        }
        catch (DbUpdateException exception) when (transactions.Count > 1)
        {
            logger.LogDebug(exception, "Finishing {Count} transactions together clashed with another instance; finishing them one by one", transactions.Count);
        }
        foreach (var one in transactions)
        {
            try
            {
                await FinishTogetherAsync(finishing, one, chain, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogDebug("Transfer {TransferId} changed concurrently", one[0].TransferId);
            }
        }
    }

    /// <summary>
    /// Each purchase becomes coins_sent with its txid (a batch's legs share theirs), ledger postings and event, its
    /// transfer confirmed: all one transaction.
    /// </summary>
    /// <remarks>
    /// The legs and purchases change in one guarded UPDATE per mined transaction, not one tracked entity each (that was
    /// most of settlement's CPU: change tracking and ordering some 700 commands per hundred purchases). The guards are
    /// the ones the tracked updates had: a leg changes only from the status and version this round read, a purchase
    /// only from payment_received. A transaction whose legs another instance already finished changes nothing here
    /// (its UPDATE waits for that instance's commit, then matches no row) and is left to it; any other shortfall rolls
    /// everything back as a concurrency failure, and <see cref="FinishAsync"/> goes one transaction at a time. The ledger
    /// lines and events go in with multi-row INSERTs (<see cref="AppendOnlyRows"/>), for the same reason.
    /// </remarks>
    private async Task FinishTogetherAsync(AppDbContext context, IReadOnlyList<Confirmed> confirmed, ChainEndpointOptions chain, CancellationToken cancellationToken)
    {
        context.ChangeTracker.Clear();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var paymentIds = confirmed.Select(c => c.PaymentId).ToList();
        var payments = await context.Payments.AsNoTracking().Where(p => paymentIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var finishing = new List<Confirmed>(confirmed.Count);
        // Legs whose purchase is no longer payment_received are not touched (nor were they before).
        foreach (var group in confirmed.Where(c => payments[c.PaymentId].Status == PaymentStatuses.PaymentReceived)
                     .GroupBy(c => (c.Receipt.TransactionHash, c.Receipt.BlockNumber, c.Version)))
        {
            var (hash, block, version) = group.Key;
            var legIds = group.Select(c => c.TransferId).ToList();
            var changed = await context.ChainTransfers
                .Where(t => legIds.Contains(t.Id) && t.Version == version
                            && (t.Status == ChainTransferStatuses.Recorded || t.Status == ChainTransferStatuses.Broadcast))
                .ExecuteUpdateAsync(t => t
                    .SetProperty(x => x.Status, ChainTransferStatuses.Confirmed)
                    .SetProperty(x => x.MinedHash, hash)
                    .SetProperty(x => x.BlockNumber, (long)block)
                    .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
            if (changed == legIds.Count)
            {
                finishing.AddRange(group);
            }
            else if (changed != 0)
            {
                throw new DbUpdateConcurrencyException($"{legIds.Count - changed} of {legIds.Count} legs of {hash} changed concurrently.");
            }
        }
        if (finishing.Count == 0)
        {
            return;
        }
        foreach (var group in finishing.GroupBy(c => c.Receipt.TransactionHash))
        {
            var ids = group.Select(c => c.PaymentId).ToList();
            var changed = await context.Payments
                .Where(p => ids.Contains(p.Id) && p.Status == PaymentStatuses.PaymentReceived)
                .ExecuteUpdateAsync(p => p
                    .SetProperty(x => x.Status, PaymentStatuses.CoinsSent)
                    .SetProperty(x => x.Txid, group.Key)
                    .SetProperty(x => x.UpdatedAt, now)
                    .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
            if (changed != ids.Count)
            {
                throw new DbUpdateConcurrencyException($"{ids.Count - changed} of {ids.Count} purchases of {group.Key} changed concurrently.");
            }
        }
        var rows = new AppendOnlyRows();
        foreach (var (_, paymentId, chainName, _, receipt, feeWei) in finishing)
        {
            var payment = payments[paymentId];
            // The same change in memory, detached: what the ledger and the event read. Its fields are the ones the
            // UPDATE above wrote (SettlementTests.AFinishedPurchaseIsStoredExactlyAsMarkCoinsSentLeavesIt holds them to it).
            payment.MarkCoinsSent(receipt.TransactionHash, now);
            // This leg's part of the transaction's fee (all of it for a transaction of its own): the legs of a batch
            // post parts that add up to the receipt's fee to the wei.
            var networkFee = BaseUnits.ToAmount(feeWei, 18);
            var inventory = LedgerAccounts.HotWalletInventory(chainName);
            new LedgerPosting($"payment:{payment.Id}:coins_sent", payment.Id, now)
                .Debit(LedgerAccounts.CryptoOwedToCustomers, payment.CoinSymbol, payment.CoinAmount)
                .Credit(inventory, payment.CoinSymbol, payment.CoinAmount)
                .Debit(LedgerAccounts.NetworkFeeExpense, chain.NativeSymbol, networkFee)
                .Credit(inventory, chain.NativeSymbol, networkFee)
                .AddTo(rows);
            Outbox.Add(rows, payment.IntegrationId, EventTypes.CoinsSent, payment.Id, payment.ToEventPayload(), now);
        }
        await rows.InsertAsync(context, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Mined and reverted: every leg, for nothing moved; one alert for the transaction.</summary>
    private async Task RecordRevertAsync(IReadOnlyList<ChainTransfer> legs, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        foreach (var leg in legs)
        {
            leg.Status = ChainTransferStatuses.Reverted;
            leg.MinedHash = receipt.TransactionHash;
            leg.BlockNumber = (long)receipt.BlockNumber;
            leg.Error = "The transaction was mined and reverted; nothing was delivered.";
            leg.Version++;
        }
        await db.SaveChangesAsync(cancellationToken);
        await RaiseAlertAsync($"transfer_reverted:{legs[0].Id}",
            $"Transfer {legs[0].Id} for {Purchases(legs)} reverted ({receipt.TransactionHash}); {(legs.Count == 1 ? "the purchase waits" : "the purchases wait")} for an operator.",
            cancellationToken);
    }
}
