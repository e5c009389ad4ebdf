using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement.Evm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Settlement;

/// <summary>
/// One settlement round on one chain. Order matters: first reconcile every transfer already recorded with what the
/// chain says (finish, replace or re-broadcast), only then sign new ones. A transfer is written to the database —
/// nonce, recipient, amount, signed bytes, hash — before it is broadcast, so a crash at any line leaves either nothing
/// on chain or a record that the next round finds and follows to the end.
/// </summary>
public sealed class ChainSettlement(
    AppDbContext db, ChainRegistry chains, IOptionsMonitor<SettlementOptions> options, TimeProvider clock, ILogger<ChainSettlement> logger)
{
    /// <summary>Replacements of one transfer after which an operator is alerted.</summary>
    public const int StuckAlertAfterReplacements = 3;

    /// <summary>One round; answers true when a full batch was dispatched, so more purchases are probably waiting.</summary>
    public async Task<bool> RunRoundAsync(string chainName, CancellationToken cancellationToken)
    {
        var chain = chains.Find(chainName);
        if (chain is null)
        {
            return false;
        }
        var node = chains.Node(chain);
        await ReconcileAsync(chainName, chain, node, cancellationToken);
        return await DispatchAsync(chainName, chain, node, cancellationToken);
    }

    private async Task ReconcileAsync(string chainName, ChainEndpointOptions chain, EvmRpcClient node, CancellationToken cancellationToken)
    {
        var inFlight = await db.ChainTransfers.AsNoTracking()
            .Where(t => t.Chain == chainName && (t.Status == ChainTransferStatuses.Recorded || t.Status == ChainTransferStatuses.Broadcast))
            .OrderBy(t => t.Nonce).Select(t => t.Id).Take(500).ToListAsync(cancellationToken);
        if (inFlight.Count == 0)
        {
            return;
        }
        var head = await node.BlockNumberAsync(cancellationToken);
        var confirmations = chain.Confirmations ?? options.CurrentValue.Confirmations;
        foreach (var id in inFlight)
        {
            db.ChangeTracker.Clear();
            var transfer = await db.ChainTransfers.SingleAsync(t => t.Id == id, cancellationToken);
            if (transfer.Status is not (ChainTransferStatuses.Recorded or ChainTransferStatuses.Broadcast))
            {
                continue;
            }
            TransactionReceipt? receipt = null;
            foreach (var hash in transfer.AllHashes)
            {
                receipt = await node.ReceiptAsync(hash, cancellationToken);
                if (receipt is not null)
                {
                    break;
                }
            }
            try
            {
                if (receipt is null)
                {
                    await KeepAliveAsync(transfer, chain, node, cancellationToken);
                }
                else if (!receipt.Succeeded)
                {
                    await RecordRevertAsync(transfer, receipt, cancellationToken);
                }
                else if (head - receipt.BlockNumber + 1 >= confirmations)
                {
                    await FinishAsync(transfer, chain, receipt, cancellationToken);
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance moved this transfer on in the meantime; its change stands.
                logger.LogDebug("Transfer {TransferId} changed concurrently", transfer.Id);
            }
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

    /// <summary>Confirmed: the purchase becomes coins_sent with its txid, ledger postings and event, in one transaction.</summary>
    private async Task FinishAsync(ChainTransfer transfer, ChainEndpointOptions chain, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var payment = await db.Payments.SingleAsync(p => p.Id == transfer.PaymentId, cancellationToken);
        if (payment.Status != PaymentStatuses.PaymentReceived)
        {
            // Another worker finished it between our read and now; the version check would refuse us anyway.
            return;
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

    private async Task<bool> DispatchAsync(string chainName, ChainEndpointOptions chain, EvmRpcClient node, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var waiting = await db.Payments.AsNoTracking()
            .Where(p => p.Status == PaymentStatuses.PaymentReceived && p.Chain == chainName && !db.ChainTransfers.Any(t => t.PaymentId == p.Id))
            .OrderBy(p => p.PaidAt).Take(options.CurrentValue.BatchSize).ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return false;
        }
        var from = EvmAddress.ToChecksum(chain.HotWallet);
        var chainNonce = await node.TransactionCountAsync(from, "pending", cancellationToken);
        var recorded = await db.ChainTransfers.Where(t => t.ChainId == chain.ChainId && t.FromAddress == from)
            .MaxAsync(t => (long?)t.Nonce, cancellationToken);
        var nonce = BigInteger.Max(chainNonce, (recorded ?? -1) + 1);
        var available = new Dictionary<string, BigInteger>(StringComparer.OrdinalIgnoreCase);
        var nativeForGas = await node.BalanceAsync(from, cancellationToken);
        var (maxFee, priority) = await node.SuggestFeesAsync(cancellationToken);
        var sent = 0;

        foreach (var payment in waiting)
        {
            var amount = BaseUnits.From(payment.CoinAmount, payment.CoinDecimals);
            var isNative = string.Equals(payment.CoinSymbol, chain.NativeSymbol, StringComparison.OrdinalIgnoreCase);
            var token = isNative ? null : chain.Tokens.GetValueOrDefault(payment.CoinSymbol);
            if (!isNative && token is null)
            {
                await RaiseAlertAsync($"no_contract:{chainName}:{payment.CoinSymbol}", $"No {payment.CoinSymbol} contract is configured on {chainName}; purchases wait.", cancellationToken);
                continue;
            }
            if (!available.TryGetValue(payment.CoinSymbol, out var balance))
            {
                balance = isNative ? nativeForGas : await node.TokenBalanceAsync(token!, from, cancellationToken);
            }
            var draft = new JsonObject { ["from"] = from, ["to"] = token ?? payment.Wallet, ["value"] = Hex.Quantity(isNative ? amount : 0) };
            if (!isNative)
            {
                draft["data"] = Erc20.EncodeTransfer(payment.Wallet!, amount);
            }
            var gasLimit = balance >= amount ? await EstimateAsync(node, draft, cancellationToken) : BigInteger.Zero;
            if (balance >= amount && gasLimit.IsZero)
            {
                await RaiseAlertAsync($"estimate_failed:{chainName}:{payment.CoinSymbol}", $"The node could not estimate gas for purchase {payment.Id}'s transfer; it waits.", cancellationToken);
                continue;
            }
            var gasCost = gasLimit * maxFee;
            var insufficient = balance < amount + (isNative ? gasCost : 0) || nativeForGas < gasCost;
            if (insufficient)
            {
                // Too little in the hot wallet: the purchase waits (it is paid for, so it does not fail) and an operator is told.
                await RaiseAlertAsync($"hot_wallet_low:{chainName}:{payment.CoinSymbol}",
                    $"The {chainName} hot wallet {from} cannot cover {payment.CoinAmount} {payment.CoinSymbol} for purchase {payment.Id}: " +
                    $"{BaseUnits.ToAmount(balance, payment.CoinDecimals)} {payment.CoinSymbol} and {BaseUnits.ToAmount(nativeForGas, 18)} {chain.NativeSymbol} for gas left.", cancellationToken);
                continue;
            }
            await ResolveAlertAsync($"hot_wallet_low:{chainName}:{payment.CoinSymbol}", cancellationToken);

            var raw = await chains.Signer(chain).SignTransactionAsync(
                Transaction(from, token ?? payment.Wallet!, amount, isNative, payment.Wallet!, nonce, gasLimit, maxFee, priority, chain.ChainId), cancellationToken);
            var transfer = new ChainTransfer
            {
                PaymentId = payment.Id, Chain = chainName, ChainId = chain.ChainId, FromAddress = from, ToAddress = payment.Wallet!,
                Asset = payment.CoinSymbol, TokenContract = token, AmountBaseUnits = amount.ToString(CultureInfo.InvariantCulture),
                Nonce = (long)nonce, Status = ChainTransferStatuses.Recorded, TxHash = HashOf(raw), RawTransaction = raw,
                MaxFeePerGas = maxFee.ToString(CultureInfo.InvariantCulture), MaxPriorityFeePerGas = priority.ToString(CultureInfo.InvariantCulture),
                GasLimit = (long)gasLimit, CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.ChainTransfers.Add(transfer);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance took this purchase or this nonce first: nothing was broadcast; try again next round.
                db.ChangeTracker.Clear();
                return false;
            }
            await BroadcastAsync(transfer, node, cancellationToken);
            sent++;
            available[payment.CoinSymbol] = balance - amount;
            nativeForGas -= gasCost + (isNative ? amount : 0);
            nonce++;
        }
        // Only a full batch all sent says "more may be waiting": purchases held back (a hot wallet too low) must not spin.
        return sent == options.CurrentValue.BatchSize;
    }

    private static JsonObject Transaction(string from, string to, ChainTransfer transfer, long nonce, long gas, BigInteger maxFee, BigInteger priority, long chainId)
    {
        var amount = BigInteger.Parse(transfer.AmountBaseUnits, CultureInfo.InvariantCulture);
        return Transaction(from, to, amount, transfer.TokenContract is null, transfer.ToAddress, nonce, gas, maxFee, priority, chainId);
    }

    private static JsonObject Transaction(string from, string to, BigInteger amount, bool native, string recipient, BigInteger nonce, BigInteger gas,
        BigInteger maxFee, BigInteger priority, long chainId) => new()
    {
        ["from"] = from,
        ["to"] = to,
        ["value"] = Hex.Quantity(native ? amount : 0),
        ["data"] = native ? "0x" : Erc20.EncodeTransfer(recipient, amount),
        ["nonce"] = Hex.Quantity(nonce),
        ["gas"] = Hex.Quantity(gas),
        ["maxFeePerGas"] = Hex.Quantity(maxFee),
        ["maxPriorityFeePerGas"] = Hex.Quantity(priority),
        ["chainId"] = Hex.Quantity(chainId),
        ["type"] = "0x2",
    };

    private static async Task<BigInteger> EstimateAsync(EvmRpcClient node, JsonObject draft, CancellationToken cancellationToken)
    {
        try
        {
            // A fifth on top: a first transfer to a new holder costs more than the estimate's snapshot may show.
            return await node.EstimateGasAsync(draft, cancellationToken) * 6 / 5;
        }
        catch (JsonRpcException)
        {
            return BigInteger.Zero;
        }
    }

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

    private async Task ResolveAlertAsync(string key, CancellationToken cancellationToken) =>
        await db.OperatorAlerts.Where(a => a.Key == key && a.ResolvedAt == null)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.ResolvedAt, clock.GetUtcNow().UtcDateTime), cancellationToken);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
