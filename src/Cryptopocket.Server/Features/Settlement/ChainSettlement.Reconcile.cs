using System.Globalization;
using System.Numerics;
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

    private sealed record Confirmed(long TransferId, TransactionReceipt Receipt);

    /// <summary>
    /// Every in-flight transfer against one batch of receipts. The confirmed are finished together; the rest need a
    /// step of their own (a revert, a re-broadcast, a replacement), each on a fresh read of its row since another
    /// instance may have moved it on since the batch was read.
    /// </summary>
    private async Task ReconcileAsync(string chainName, ChainEndpointOptions chain, EvmRpcClient node, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var inFlight = await db.ChainTransfers.AsNoTracking()
            .Where(t => t.Chain == chainName && (t.Status == ChainTransferStatuses.Recorded || t.Status == ChainTransferStatuses.Broadcast))
            .OrderBy(t => t.Nonce).Take(InFlightPerRound).ToListAsync(cancellationToken);
        if (inFlight.Count == 0)
        {
            return;
        }
        var head = await node.BlockNumberAsync(cancellationToken);
        var confirmations = chain.Confirmations ?? options.CurrentValue.Confirmations;
        var receipts = await MinedReceiptsAsync(node, inFlight, cancellationToken);
        var confirmed = new List<Confirmed>();
        var reverted = new List<(long TransferId, TransactionReceipt Receipt)>();
        var unmined = new List<ChainTransfer>();
        for (var i = 0; i < inFlight.Count; i++)
        {
            if (receipts[i] is not { } receipt)
            {
                unmined.Add(inFlight[i]);
            }
            else if (!receipt.Succeeded)
            {
                reverted.Add((inFlight[i].Id, receipt));
            }
            else if (head - receipt.BlockNumber + 1 >= confirmations)
            {
                confirmed.Add(new Confirmed(inFlight[i].Id, receipt));
            }
        }

        foreach (var batch in confirmed.Chunk(FinishedPerTransaction))
        {
            await FinishAsync(batch, chain, cancellationToken);
        }
        foreach (var (transferId, receipt) in reverted)
        {
            await StepAsync(transferId, transfer => RecordRevertAsync(transfer, receipt, cancellationToken), cancellationToken);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // In nonce order: a node that cannot queue (Hardhat automining) takes nonce n+1 only after n.
        foreach (var transfer in unmined.Where(t => t.Status == ChainTransferStatuses.Recorded || now - t.LastBroadcastAt >= options.CurrentValue.ReplaceAfter))
        {
            await StepAsync(transfer.Id, fresh => KeepAliveAsync(fresh, chain, node, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Per transfer, the receipt of whichever of its versions was mined, or null; every hash asked in one batch.</summary>
    private static async Task<IReadOnlyList<TransactionReceipt?>> MinedReceiptsAsync(EvmRpcClient node, IReadOnlyList<ChainTransfer> transfers, CancellationToken cancellationToken)
    {
        var hashes = transfers.Select(t => t.AllHashes.ToList()).ToList();
        var receipts = await node.ReceiptsAsync([.. hashes.SelectMany(h => h)], cancellationToken);
        var mined = new TransactionReceipt?[transfers.Count];
        var at = 0;
        for (var i = 0; i < transfers.Count; i++)
        {
            mined[i] = receipts.Skip(at).Take(hashes[i].Count).FirstOrDefault(r => r is not null);
            at += hashes[i].Count;
        }
        return mined;
    }

    /// <summary>One step on a transfer, read again and tracked; if another instance moved it on meanwhile, its change stands.</summary>
    private async Task StepAsync(long transferId, Func<ChainTransfer, Task> step, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var transfer = await db.ChainTransfers.SingleAsync(t => t.Id == transferId, cancellationToken);
        if (transfer.Status is not (ChainTransferStatuses.Recorded or ChainTransferStatuses.Broadcast))
        {
            return;
        }
        try
        {
            await step(transfer);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogDebug("Transfer {TransferId} changed concurrently", transferId);
        }
    }

    /// <summary>
    /// Not mined yet. A transfer recorded but maybe never sent (a crash right after signing) is broadcast again: the
    /// same signed bytes, so the node either takes it or already has it. One waiting too long is replaced in place:
    /// same nonce, fees up by a quarter, the new hash recorded before the new bytes leave.
    /// </summary>
    private async Task KeepAliveAsync(ChainTransfer transfer, ChainEndpointOptions chain, EvmRpcClient node, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (transfer.Status == ChainTransferStatuses.Recorded)
        {
            await BroadcastAsync(transfer, node, cancellationToken);
            return;
        }
        if (now - transfer.LastBroadcastAt < options.CurrentValue.ReplaceAfter)
        {
            return;
        }
        var (maxFee, priority) = await node.SuggestFeesAsync(cancellationToken);
        var bumpedPriority = BigInteger.Max(priority, BigInteger.Parse(transfer.MaxPriorityFeePerGas, CultureInfo.InvariantCulture) * 5 / 4 + 1);
        var bumpedMaxFee = BigInteger.Max(maxFee, BigInteger.Parse(transfer.MaxFeePerGas, CultureInfo.InvariantCulture) * 5 / 4 + 1);
        var raw = await chains.Signer(chain).SignTransactionAsync(
            Transaction(transfer.FromAddress, transfer.TokenContract ?? transfer.ToAddress, transfer, transfer.Nonce, transfer.GasLimit, bumpedMaxFee, bumpedPriority, chain.ChainId),
            cancellationToken);
        transfer.PreviousHashes = string.Join(',', transfer.AllHashes);
        transfer.TxHash = HashOf(raw);
        transfer.RawTransaction = raw;
        transfer.MaxFeePerGas = bumpedMaxFee.ToString(CultureInfo.InvariantCulture);
        transfer.MaxPriorityFeePerGas = bumpedPriority.ToString(CultureInfo.InvariantCulture);
        transfer.Replacements++;
        transfer.Status = ChainTransferStatuses.Recorded;
        transfer.Version++;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Replacing stuck transfer {TransferId} (nonce {Nonce}) with {Hash}", transfer.Id, transfer.Nonce, transfer.TxHash);
        if (transfer.Replacements >= StuckAlertAfterReplacements)
        {
            // Fees keep rising and nothing is mined: a congested chain, a node that drops it, or a nonce another
            // sender used. Replacing stays safe (one nonce, one transfer), but a person must look.
            await RaiseAlertAsync($"transfer_stuck:{transfer.Id}",
                $"Transfer {transfer.Id} for purchase {transfer.PaymentId} (nonce {transfer.Nonce}) has been replaced {transfer.Replacements} times without being mined.", cancellationToken);
        }
        await BroadcastAsync(transfer, node, cancellationToken);
    }

    private async Task BroadcastAsync(ChainTransfer transfer, EvmRpcClient node, CancellationToken cancellationToken)
    {
        try
        {
            await node.SendRawTransactionAsync(transfer.RawTransaction, cancellationToken);
        }
        catch (JsonRpcException exception) when (IsAlreadyKnown(exception))
        {
            // The node has it already, or one of its versions was mined: the receipt check will tell which.
        }
        catch (JsonRpcException exception)
        {
            transfer.Error = Truncate(exception.Message, 500);
            transfer.Version++;
            await db.SaveChangesAsync(cancellationToken);
            await RaiseAlertAsync($"transfer_broadcast:{transfer.Id}", $"Transfer {transfer.Id} for {transfer.PaymentId} could not be broadcast: {exception.Message}", cancellationToken);
            return;
        }
        transfer.Status = ChainTransferStatuses.Broadcast;
        transfer.LastBroadcastAt = clock.GetUtcNow().UtcDateTime;
        transfer.Error = null;
        transfer.Version++;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Confirmed purchases, finished together in one transaction. Should a racing instance have finished one of them
    /// (the version checks refuse the whole transaction), they are finished one by one instead, so that the one it
    /// took does not hold back the others.
    /// </summary>
    private async Task FinishAsync(IReadOnlyList<Confirmed> confirmed, ChainEndpointOptions chain, CancellationToken cancellationToken)
    {
        try
        {
            await FinishTogetherAsync(confirmed, chain, cancellationToken);
            return;
        }
        catch (DbUpdateConcurrencyException) when (confirmed.Count == 1)
        {
            logger.LogDebug("Transfer {TransferId} changed concurrently", confirmed[0].TransferId);
            return;
        }
        catch (DbUpdateException exception) when (confirmed.Count > 1)
        {
            logger.LogDebug(exception, "Finishing {Count} transfers together clashed with another instance; finishing them one by one", confirmed.Count);
        }
        foreach (var one in confirmed)
        {
            try
            {
                await FinishTogetherAsync([one], chain, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogDebug("Transfer {TransferId} changed concurrently", one.TransferId);
            }
        }
    }

    /// <summary>Each purchase becomes coins_sent with its txid, ledger postings and event, its transfer confirmed: all one transaction.</summary>
    private async Task FinishTogetherAsync(IReadOnlyList<Confirmed> confirmed, ChainEndpointOptions chain, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var transferIds = confirmed.Select(c => c.TransferId).ToList();
        var transfers = await db.ChainTransfers.Where(t => transferIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        var paymentIds = transfers.Values.Select(t => t.PaymentId).ToList();
        var payments = await db.Payments.Where(p => paymentIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var finished = 0;
        foreach (var (transferId, receipt) in confirmed)
        {
            var transfer = transfers[transferId];
            var payment = payments[transfer.PaymentId];
            if (transfer.Status is not (ChainTransferStatuses.Recorded or ChainTransferStatuses.Broadcast) || payment.Status != PaymentStatuses.PaymentReceived)
            {
                // Another worker finished it between our read and now; the version checks would refuse us anyway.
                continue;
            }
            transfer.Status = ChainTransferStatuses.Confirmed;
            transfer.MinedHash = receipt.TransactionHash;
            transfer.BlockNumber = (long)receipt.BlockNumber;
            transfer.Version++;
            payment.MarkCoinsSent(receipt.TransactionHash, now);
            var networkFee = BaseUnits.ToAmount(receipt.GasUsed * receipt.EffectiveGasPrice, 18);
            var inventory = LedgerAccounts.HotWalletInventory(transfer.Chain);
            new LedgerPosting($"payment:{payment.Id}:coins_sent", payment.Id, now)
                .Debit(LedgerAccounts.CryptoOwedToCustomers, payment.CoinSymbol, payment.CoinAmount)
                .Credit(inventory, payment.CoinSymbol, payment.CoinAmount)
                .Debit(LedgerAccounts.NetworkFeeExpense, chain.NativeSymbol, networkFee)
                .Credit(inventory, chain.NativeSymbol, networkFee)
                .AddTo(db);
            Outbox.Add(db, payment.IntegrationId, EventTypes.CoinsSent, payment.Id, payment.ToEventPayload(), now);
            finished++;
        }
        if (finished == 0)
        {
            return;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task RecordRevertAsync(ChainTransfer transfer, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        transfer.Status = ChainTransferStatuses.Reverted;
        transfer.MinedHash = receipt.TransactionHash;
        transfer.BlockNumber = (long)receipt.BlockNumber;
        transfer.Error = "The transaction was mined and reverted; nothing was delivered.";
        transfer.Version++;
        await db.SaveChangesAsync(cancellationToken);
        await RaiseAlertAsync($"transfer_reverted:{transfer.Id}",
            $"Transfer {transfer.Id} for purchase {transfer.PaymentId} reverted ({receipt.TransactionHash}); the purchase waits for an operator.", cancellationToken);
    }
}
