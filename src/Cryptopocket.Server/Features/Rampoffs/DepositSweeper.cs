using System.Numerics;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Rampoffs.Deposits;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>
/// Moves what deposit addresses received to the treasury: one transaction from the chain's sweeper account to the
/// deposit factory per address. First follows the sweeps in flight (confirm and book what the receipt says moved, or
/// release their deposits to be swept again), then sends new ones. The sweeper account is used for nothing else, so
/// its nonces never compete with settlement's hot wallet.
/// </summary>
public sealed class DepositSweeper(
    AppDbContext db, ChainRegistry chains, IOptionsMonitor<Catalogue.CatalogueOptions> catalogue, IOptionsMonitor<RampoffOptions> options, IOptionsMonitor<SettlementOptions> settlement,
    TimeProvider clock, ILogger<DepositSweeper> logger)
{
    public const int AddressesPerRound = 20;

    public async Task RunRoundAsync(string chainName, CancellationToken cancellationToken)
    {
        if (chains.Find(chainName) is not { DepositFactory.Length: > 0, SweepWallet.Length: > 0 } endpoint)
        {
            return;
        }
        var node = chains.Node(endpoint);
        await FollowAsync(chainName, endpoint, node, cancellationToken);
        await SendAsync(chainName, endpoint, node, cancellationToken);
    }

    private async Task FollowAsync(string chainName, ChainEndpointOptions endpoint, EvmRpcClient node, CancellationToken cancellationToken)
    {
        var inFlight = await db.DepositSweeps.AsNoTracking().Where(s => s.Chain == chainName && s.Status == SweepStatuses.Broadcast)
            .OrderBy(s => s.Id).Select(s => s.Id).Take(100).ToListAsync(cancellationToken);
        if (inFlight.Count == 0)
        {
            return;
        }
        var head = await node.BlockNumberAsync(cancellationToken);
        var confirmations = Math.Max(1, endpoint.Confirmations ?? settlement.CurrentValue.Confirmations);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var id in inFlight)
        {
            db.ChangeTracker.Clear();
            var sweep = await db.DepositSweeps.SingleAsync(s => s.Id == id, cancellationToken);
            var receipt = await node.ReceiptAsync(sweep.TxHash, cancellationToken);
            if (receipt is null)
            {
                if (now - sweep.LastBroadcastAt >= options.CurrentValue.SweepRebroadcastAfter)
                {
                    await BroadcastAsync(sweep, node, cancellationToken);
                }
                continue;
            }
            if (!receipt.Succeeded)
            {
                await ReleaseAsync(sweep, $"Sweep {receipt.TransactionHash} reverted.", cancellationToken);
                continue;
            }
            if (head - receipt.BlockNumber + 1 < confirmations)
            {
                continue;
            }
            var logs = await node.ReceiptLogsAsync(sweep.TxHash, cancellationToken) ?? [];
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            sweep.Status = SweepStatuses.Confirmed;
            sweep.BlockNumber = (long)receipt.BlockNumber;
            sweep.ConfirmedAt = now;
            var treasury = string.IsNullOrEmpty(endpoint.Treasury) || string.Equals(endpoint.Treasury, endpoint.HotWallet, StringComparison.OrdinalIgnoreCase)
                ? LedgerAccounts.HotWalletInventory(chainName)
                : LedgerAccounts.TreasuryInventory(chainName);
            var posting = new LedgerPosting($"sweep:{chainName}:{sweep.Id}", null, now);
            foreach (var moved in DepositFactoryAbi.ReadFlushed(logs, sweep.DepositAddress))
            {
                var asset = moved.Token is null
                    ? endpoint.NativeSymbol
                    : endpoint.Tokens.FirstOrDefault(t => string.Equals(t.Value, moved.Token, StringComparison.OrdinalIgnoreCase)).Key ?? moved.Token;
                var decimals = catalogue.CurrentValue.FindAsset(asset)?.Decimals ?? 18;
                var amount = BaseUnits.ToAmount(moved.Amount, decimals);
                posting.Debit(treasury, asset, amount).Credit(LedgerAccounts.DepositInventory(chainName), asset, amount);
            }
            var gas = BaseUnits.ToAmount(receipt.GasUsed * receipt.EffectiveGasPrice, 18);
            posting.Debit(LedgerAccounts.NetworkFeeExpense, endpoint.NativeSymbol, gas).Credit(LedgerAccounts.SweeperInventory(chainName), endpoint.NativeSymbol, gas);
            if (posting.Entries.Count > 0)
            {
                posting.AddTo(db);
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
    }

    private async Task SendAsync(string chainName, ChainEndpointOptions endpoint, EvmRpcClient node, CancellationToken cancellationToken)
    {
        // Ordered: a row limit over an unordered set is an arbitrary pick, and EF warns about it in every process.
        var addresses = await db.RampoffDeposits.AsNoTracking()
            .Where(d => d.Chain == chainName && d.SweepId == null)
            .Select(d => d.ToAddress).Distinct().OrderBy(a => a).Take(AddressesPerRound).ToListAsync(cancellationToken);
        if (addresses.Count == 0)
        {
            return;
        }
        var from = EvmAddress.ToChecksum(endpoint.SweepWallet);
        var pending = (long)await node.TransactionCountAsync(from, "pending", cancellationToken);
        var recorded = await db.DepositSweeps.Where(s => s.ChainId == endpoint.ChainId && s.FromAddress == from).MaxAsync(s => (long?)s.Nonce, cancellationToken);
        var nonce = Math.Max(pending, (recorded ?? -1) + 1);
        var (maxFee, priority) = await node.SuggestFeesAsync(cancellationToken);

        foreach (var address in addresses)
        {
            db.ChangeTracker.Clear();
            var deposits = await db.RampoffDeposits.Where(d => d.Chain == chainName && d.ToAddress == address && d.SweepId == null).ToListAsync(cancellationToken);
            var salt = await db.Rampoffs.AsNoTracking().Where(r => r.Chain == chainName && r.DepositAddress == address)
                .Select(r => r.DepositSalt).SingleAsync(cancellationToken);
            var tokens = deposits.Where(d => d.TokenContract is not null).Select(d => d.TokenContract!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var call = new JsonObject { ["from"] = from, ["to"] = endpoint.DepositFactory, ["data"] = DepositFactoryAbi.EncodeSweep(salt, tokens) };
            BigInteger gas;
            try
            {
                gas = await node.EstimateGasAsync(call, cancellationToken) * 6 / 5;
            }
            catch (JsonRpcException exception)
            {
                logger.LogWarning("Sweeping {Address} on {Chain} cannot be estimated: {Error}", address, chainName, exception.RpcMessage);
                continue;
            }
            var transaction = new JsonObject
            {
                ["from"] = from, ["to"] = endpoint.DepositFactory, ["value"] = "0x0", ["data"] = call["data"]!.GetValue<string>(),
                ["nonce"] = Hex.Quantity(nonce), ["gas"] = Hex.Quantity(gas), ["maxFeePerGas"] = Hex.Quantity(maxFee),
                ["maxPriorityFeePerGas"] = Hex.Quantity(priority), ["chainId"] = Hex.Quantity(endpoint.ChainId), ["type"] = "0x2",
            };
            var raw = await chains.Signer(endpoint).SignTransactionAsync(transaction, cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var sweep = new DepositSweep
            {
                Chain = chainName, ChainId = endpoint.ChainId, DepositAddress = address, FromAddress = from, Nonce = nonce,
                TxHash = ChainSettlement.HashOf(raw), RawTransaction = raw, Status = SweepStatuses.Broadcast, CreatedAt = now, LastBroadcastAt = now,
            };
            await using (var dbTransaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                db.DepositSweeps.Add(sweep);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    foreach (var deposit in deposits)
                    {
                        deposit.SweepId = sweep.Id;
                    }
                    await db.SaveChangesAsync(cancellationToken);
                    await dbTransaction.CommitAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // Another instance used this nonce first: nothing was broadcast; the next round starts over.
                    db.ChangeTracker.Clear();
                    return;
                }
            }
            await BroadcastAsync(sweep, node, cancellationToken);
            nonce++;
        }
        db.ChangeTracker.Clear();
    }

    private async Task BroadcastAsync(DepositSweep sweep, EvmRpcClient node, CancellationToken cancellationToken)
    {
        try
        {
            await node.SendRawTransactionAsync(sweep.RawTransaction, cancellationToken);
        }
        catch (JsonRpcException exception) when (exception.RpcMessage.Contains("already known", StringComparison.OrdinalIgnoreCase)
                                                  || exception.RpcMessage.Contains("known transaction", StringComparison.OrdinalIgnoreCase))
        {
            // The node has it; the receipt will tell.
        }
        catch (JsonRpcException exception)
        {
            // Refused outright (nonce used, no gas money): nothing will be mined from these bytes; sweep again anew.
            await ReleaseAsync(sweep, exception.RpcMessage, cancellationToken);
            return;
        }
        await db.DepositSweeps.Where(s => s.Id == sweep.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastBroadcastAt, clock.GetUtcNow().UtcDateTime), cancellationToken);
    }

    /// <summary>The sweep will not move anything: its deposits become sweepable again (a second sweep is harmless).</summary>
    private async Task ReleaseAsync(DepositSweep sweep, string error, CancellationToken cancellationToken)
    {
        logger.LogWarning("Sweep {SweepId} of {Address} on {Chain} failed: {Error}; its deposits will be swept again", sweep.Id, sweep.DepositAddress, sweep.Chain, error);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.DepositSweeps.Where(s => s.Id == sweep.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SweepStatuses.Failed).SetProperty(x => x.Error, error.Length > 500 ? error[..500] : error), cancellationToken);
        await db.RampoffDeposits.Where(d => d.SweepId == sweep.Id).ExecuteUpdateAsync(d => d.SetProperty(x => x.SweepId, (long?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
