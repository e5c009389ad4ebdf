using System.Globalization;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement.Evm;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Settlement;

public sealed partial class ChainSettlement
{
    /// <summary>Signing calls per request to the signer: about 600 bytes each, well under the sandbox signer's 1 MB body limit.</summary>
    private const int SignaturesPerRequest = 500;

    /// <summary>Signing calls in flight at once with a signer that takes no batches.</summary>
    private const int SignaturesInFlight = 8;

    /// <summary>A paid purchase and what delivering it takes: the token contract (null for the native coin) and the amount in base units.</summary>
    private sealed record Delivery(Payment Payment, string? Token, BigInteger Amount)
    {
        public bool IsNative => Token is null;
    }

    /// <summary>
    /// One transaction to sign: a single delivery (Disperse null), or a Disperse call paying several deliveries of one
    /// token, its legs in the order of the call's arrays.
    /// </summary>
    private sealed record PlannedTransfer(IReadOnlyList<Delivery> Legs, string? Disperse, BigInteger Nonce, BigInteger GasLimit)
    {
        public Delivery First => Legs[0];

        public (string To, BigInteger Value, string Data) Call =>
            CallOf(Disperse, First.Token, [.. Legs.Select(l => new Payout(l.Payment.Wallet!, l.Amount))]);
    }

    /// <summary>
    /// New transfers for waiting purchases, a batch per round: plan every one (nonce, gas, funds), sign them all,
    /// record them all in one transaction, and only then broadcast them, in nonce order. Answers whether a full batch
    /// went out (more purchases are probably waiting), and whether any transfer was recorded.
    /// </summary>
    private async Task<(bool FullBatch, bool Recorded)> DispatchAsync(string chainName, ChainEndpointOptions chain, EvmRpcClient node, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var waiting = await db.Payments.AsNoTracking()
            .Where(p => p.Status == PaymentStatuses.PaymentReceived && p.Chain == chainName && !db.ChainTransfers.Any(t => t.PaymentId == p.Id))
            .OrderBy(p => p.PaidAt).Take(options.CurrentValue.BatchSize).ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return (false, false);
        }
        var from = EvmAddress.ToChecksum(chain.HotWallet);
        var alerts = new Dictionary<string, string>(StringComparer.Ordinal);
        var deliveries = new List<Delivery>();
        foreach (var payment in waiting)
        {
            var isNative = string.Equals(payment.CoinSymbol, chain.NativeSymbol, StringComparison.OrdinalIgnoreCase);
            var token = isNative ? null : chain.Tokens.GetValueOrDefault(payment.CoinSymbol);
            if (!isNative && token is null)
            {
                alerts[$"no_contract:{chainName}:{payment.CoinSymbol}"] = $"No {payment.CoinSymbol} contract is configured on {chainName}; purchases wait.";
                continue;
            }
            deliveries.Add(new Delivery(payment, token, BaseUnits.From(payment.CoinAmount, payment.CoinDecimals)));
        }
        var tokens = deliveries.Where(d => !d.IsNative).GroupBy(d => d.Payment.CoinSymbol, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Token!, StringComparer.OrdinalIgnoreCase);
        // Nonce, fees and balances in one request to the node (one round trip to a hosted node, not five).
        var (chainNonce, maxFee, priority, nativeForGas, tokenBalances) = await node.SenderStateAsync(from, tokens.Values, cancellationToken);
        var recorded = await db.ChainTransfers.Where(t => t.ChainId == chain.ChainId && t.FromAddress == from)
            .MaxAsync(t => (long?)t.Nonce, cancellationToken);
        var nonce = BigInteger.Max(chainNonce, (recorded ?? -1) + 1);
        var available = tokens.ToDictionary(t => t.Key, t => tokenBalances[t.Value], StringComparer.OrdinalIgnoreCase);
        available[chain.NativeSymbol] = nativeForGas;
        var gas = await EstimateAsync(chainName, chain, node, from, deliveries, available, cancellationToken);
        foreach (var (symbol, reason) in gas.BatchingUnavailable)
        {
            alerts[$"disperse_unavailable:{chainName}:{symbol}"] = reason;
        }

        var planned = new List<PlannedTransfer>();
        var funded = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var shortOf = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var delivery in deliveries)
        {
            var payment = delivery.Payment;
            var balance = available[payment.CoinSymbol];
            if (gas.Batches.TryGetValue(payment.CoinSymbol, out var batches))
            {
                // The token goes out in batches this round: each batch is planned at its first leg (the earliest paid)
                // and its other legs ride along.
                var batch = batches.FirstOrDefault(b => b.Legs.Any(l => l.Payment.Id == payment.Id));
                if (batch is null)
                {
                    // In no batch: the token balance could not cover it when the batches were cut.
                    HoldBack(payment, balance);
                    continue;
                }
                if (batch.Legs[0].Payment.Id != payment.Id)
                {
                    continue;
                }
                var sum = batch.Legs.Aggregate(BigInteger.Zero, (total, leg) => total + leg.Amount);
                var batchGasCost = batch.Gas * maxFee;
                if (balance < sum || nativeForGas < batchGasCost)
                {
                    HoldBack(payment, balance);
                    continue;
                }
                funded.Add(payment.CoinSymbol);
                planned.Add(new PlannedTransfer(batch.Legs, EvmAddress.ToChecksum(chain.Disperse), nonce++, batch.Gas));
                available[payment.CoinSymbol] = balance - sum;
                nativeForGas -= batchGasCost;
                available[chain.NativeSymbol] = nativeForGas;
                continue;
            }
            var gasLimit = BigInteger.Zero;
            if (balance >= delivery.Amount)
            {
                var estimate = gas.Single(delivery);
                if (estimate.Error is not null)
                {
                    alerts[$"estimate_failed:{chainName}:{payment.CoinSymbol}"] =
                        $"The node could not estimate gas for purchase {payment.Id}'s transfer ({estimate.Error}); it waits.";
                    continue;
                }
                gasLimit = estimate.Gas;
            }
            var gasCost = gasLimit * maxFee;
            if (balance < delivery.Amount + (delivery.IsNative ? gasCost : 0) || nativeForGas < gasCost)
            {
                HoldBack(payment, balance);
                continue;
            }
            funded.Add(payment.CoinSymbol);
            planned.Add(new PlannedTransfer([delivery], null, nonce++, gasLimit));
            available[payment.CoinSymbol] = balance - delivery.Amount;
            nativeForGas -= gasCost + (delivery.IsNative ? delivery.Amount : 0);
            available[chain.NativeSymbol] = nativeForGas;
        }
        // Too little in the hot wallet: the purchase waits (it is paid for, so it does not fail) and an operator is told.
        void HoldBack(Payment payment, BigInteger balance)
        {
            shortOf.Add(payment.CoinSymbol);
            alerts[$"hot_wallet_low:{chainName}:{payment.CoinSymbol}"] =
                $"The {chainName} hot wallet {from} cannot cover {payment.CoinAmount} {payment.CoinSymbol} for purchase {payment.Id}: " +
                $"{BaseUnits.ToAmount(balance, payment.CoinDecimals)} {payment.CoinSymbol} and {BaseUnits.ToAmount(nativeForGas, 18)} {chain.NativeSymbol} for gas left.";
        }

        // Alerts once per round, not per purchase; "low" is resolved for an asset only when none of its purchases waits for funds.
        foreach (var (key, message) in alerts)
        {
            await RaiseAlertAsync(key, message, cancellationToken);
        }
        await ResolveAlertsAsync([.. funded.Except(shortOf, StringComparer.OrdinalIgnoreCase).Select(symbol => $"hot_wallet_low:{chainName}:{symbol}"),
            .. gas.Batches.Keys.Select(symbol => $"disperse_unavailable:{chainName}:{symbol}")], cancellationToken);
        if (planned.Count == 0)
        {
            return (false, false);
        }

        var transfers = await SignAsync(chainName, chain, from, planned, maxFee, priority, cancellationToken);
        if (transfers.Count == 0)
        {
            return (false, false);
        }
        db.ChangeTracker.Clear();
        db.ChainTransfers.AddRange(transfers);
        try
        {
            // One transaction for the whole batch: all recorded, or (a clash) none.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance took one of these purchases or nonces first: nothing was broadcast; try again next round.
            db.ChangeTracker.Clear();
            return (false, false);
        }
        var allSent = await BroadcastInNonceOrderAsync(transfers, node, cancellationToken);
        // Only a full batch all sent says "more may be waiting": purchases held back (a hot wallet too low) must not spin.
        return (allSent && transfers.Count == options.CurrentValue.BatchSize, true);
    }

    /// <summary>
    /// The planned transactions signed, in batches to the signer, as rows to record: one per purchase, so a batch
    /// gives a row per leg, all carrying its one nonce, hash and signed bytes. Nonces must stay consecutive, so a
    /// transaction the signer refuses ends the round there; the purchases from it on wait for the next round.
    /// </summary>
    private async Task<List<ChainTransfer>> SignAsync(string chainName, ChainEndpointOptions chain, string from, IReadOnlyList<PlannedTransfer> planned,
        BigInteger maxFee, BigInteger priority, CancellationToken cancellationToken)
    {
        var drafts = planned.Select(p => Transaction(from, p.Call, p.Nonce, p.GasLimit, maxFee, priority, chain.ChainId)).ToList();
        var signer = chains.Signer(chain);
        var signed = new List<JsonRpcAnswer>();
        foreach (var chunk in drafts.Chunk(SignaturesPerRequest))
        {
            signed.AddRange(await SignBatchAsync(signer, chunk, cancellationToken));
        }
        var transfers = new List<ChainTransfer>();
        var createdAt = clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < planned.Count; i++)
        {
            if (signed[i].Error is { } refused)
            {
                logger.LogWarning(refused, "The signer refused the transaction for purchase {PaymentId} (nonce {Nonce}); it and {Later} later transactions wait",
                    planned[i].First.Payment.Id, planned[i].Nonce, planned.Count - i - 1);
                break;
            }
            var (legs, disperse, nonce, gasLimit) = planned[i];
            var raw = EvmRpcClient.SignedRaw(signed[i].Result);
            var hash = HashOf(raw);
            transfers.AddRange(legs.Select((delivery, leg) => new ChainTransfer
            {
                PaymentId = delivery.Payment.Id, Chain = chainName, ChainId = chain.ChainId, FromAddress = from, ToAddress = delivery.Payment.Wallet!,
                Asset = delivery.Payment.CoinSymbol, TokenContract = delivery.Token, AmountBaseUnits = delivery.Amount.ToString(CultureInfo.InvariantCulture),
                Nonce = (long)nonce, Leg = leg, DisperseContract = disperse, Status = ChainTransferStatuses.Recorded, TxHash = hash, RawTransaction = leg == 0 ? raw : "",
                MaxFeePerGas = maxFee.ToString(CultureInfo.InvariantCulture), MaxPriorityFeePerGas = priority.ToString(CultureInfo.InvariantCulture),
                GasLimit = (long)gasLimit, CreatedAt = createdAt,
            }));
        }
        return transfers;
    }

    /// <summary>One JSON-RPC batch to the signer; one that answers batches with an error gets the calls one by one, a few at a time.</summary>
    private static async Task<IReadOnlyList<JsonRpcAnswer>> SignBatchAsync(EvmRpcClient signer, IReadOnlyList<JsonObject> drafts, CancellationToken cancellationToken)
    {
        try
        {
            return await signer.CallBatchAsync([.. drafts.Select(d => new JsonRpcCall("eth_signTransaction", [d]))], cancellationToken);
        }
        catch (Exception exception) when (exception is JsonRpcException or HttpRequestException { StatusCode: >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError })
        {
            using var gate = new SemaphoreSlim(SignaturesInFlight);
            return await Task.WhenAll(drafts.Select(async draft =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    return new JsonRpcAnswer(await signer.CallAsync("eth_signTransaction", [draft.DeepClone()], cancellationToken), null);
                }
                catch (JsonRpcException refused)
                {
                    return new JsonRpcAnswer(default, refused);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
    }

    /// <summary>
    /// Broadcasts recorded transactions one at a time in nonce order — a batch's shared bytes once for all its legs —
    /// then marks those the node took with one update. Not one JSON-RPC batch: Hardhat runs a batch's calls
    /// concurrently and, automining, refuses a nonce that comes before its predecessor (199 of a 200-call batch were
    /// refused so). The first refusal stops the round: the transactions after it stay recorded, and the next round's
    /// reconciliation broadcasts them again in order.
    /// </summary>
    private async Task<bool> BroadcastInNonceOrderAsync(IReadOnlyList<ChainTransfer> transfers, EvmRpcClient node, CancellationToken cancellationToken)
    {
        var sent = new List<long>();
        (IReadOnlyList<ChainTransfer> Legs, JsonRpcException Exception)? refused = null;
        foreach (var transaction in transfers.GroupBy(t => t.Nonce).OrderBy(g => g.Key).Select(g => g.OrderBy(t => t.Leg).ToList()))
        {
            try
            {
                await node.SendRawTransactionAsync(transaction[0].RawTransaction, cancellationToken);
            }
            catch (JsonRpcException known) when (IsAlreadyKnown(known))
            {
                // A racing instance re-broadcast it from its record already: the receipt check will find it.
            }
            catch (JsonRpcException refusal)
            {
                refused = (transaction, refusal);
                break;
            }
            sent.AddRange(transaction.Select(t => t.Id));
        }
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow().UtcDateTime;
        if (sent.Count > 0)
        {
            // Only rows still "signed": another instance's reconciliation may have moved one on (even finished it) meanwhile.
            await db.ChainTransfers.Where(t => sent.Contains(t.Id) && t.Status == ChainTransferStatuses.Recorded)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.Status, ChainTransferStatuses.Broadcast).SetProperty(x => x.LastBroadcastAt, now)
                    .SetProperty(x => x.Error, (string?)null).SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
        }
        if (refused is null)
        {
            return true;
        }
        var (failed, exception) = refused.Value;
        var error = Truncate(exception.Message, 500);
        var failedIds = failed.Select(t => t.Id).ToList();
        await db.ChainTransfers.Where(t => failedIds.Contains(t.Id) && t.Status == ChainTransferStatuses.Recorded)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.Error, error).SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
        await RaiseAlertAsync($"transfer_broadcast:{failed[0].Id}", $"Transfer {failed[0].Id} for {Purchases(failed)} could not be broadcast: {exception.Message}", cancellationToken);
        return false;
    }
}
