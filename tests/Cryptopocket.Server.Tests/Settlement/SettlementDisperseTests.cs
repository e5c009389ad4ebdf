using System.Numerics;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cryptopocket.Server.Tests.Settlement;

/// <summary>The chain of <see cref="ChainServer"/> with a Disperse contract deployed, approved by the hot wallet and configured.</summary>
public sealed class DisperseChainServer : ChainServer
{
    public string Disperse { get; private set; } = "";

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => base.Overrides.Append(new("Settlement:Chains:polygon:Disperse", Disperse));

    protected override async Task PrepareChainAsync()
    {
        Disperse = await Chain.DeployDisperseAsync();
        await Chain.ApproveUsdcAsync(Disperse, Erc20.UnlimitedAllowance);
    }
}

/// <summary>
/// Batched payouts on a real Hardhat node: a token's purchases in one Disperse call, a row (leg) per purchase, every
/// exactly-once guarantee kept per purchase; and the fallback to one transfer each when batching is not possible.
/// </summary>
public sealed class SettlementDisperseTests(DisperseChainServer server) : IClassFixture<DisperseChainServer>
{
    private const string DisperseAlert = "disperse_unavailable:polygon:USDC";

    /// <summary>Paid USDC purchases (unless <paramref name="paid"/> is false), each by its own approved customer to its own fresh wallet.</summary>
    private Task<List<(string Id, string Wallet)>> PaidPurchasesAsync(int count, bool paid = true) => server.PaidPurchasesAsync(count, i => 10m + i * 7.25m, paid);

    private Task<List<ChainTransfer>> TransfersOfAsync(IEnumerable<(string Id, string Wallet)> purchases) => server.TransfersOfAsync(purchases.Select(p => p.Id));

    private Task<BigInteger> PendingNonceAsync() => server.Chain.Node.TransactionCountAsync(server.Chain.HotWallet, "pending", CancellationToken.None);

    private Task<bool> AlertOpenAsync(string key) => server.QueryAsync(db => db.OperatorAlerts.AnyAsync(a => a.Key == key && a.ResolvedAt == null));

    private Task SettleAsync(IReadOnlyCollection<(string Id, string Wallet)> purchases) => server.SettleAsync([.. purchases.Select(p => p.Id)]);

    /// <summary>
    /// Each purchase: exactly one token transfer on chain to its wallet, of exactly its recorded amount, in the
    /// transaction its row says was mined, with that hash as its txid; one coins_sent event and one coins_sent posting.
    /// </summary>
    private async Task AssertDeliveredOnceEachAsync(IReadOnlyList<(string Id, string Wallet)> purchases)
    {
        var onChain = await server.Chain.TransfersFromHotWalletAsync();
        var rows = await TransfersOfAsync(purchases);
        var ids = purchases.Select(p => p.Id).ToList();
        var payments = await server.QueryAsync(db => db.Payments.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id));
        foreach (var (id, wallet) in purchases)
        {
            var row = Assert.Single(rows, r => r.PaymentId == id);
            var delivered = Assert.Single(onChain, t => string.Equals(t.To, wallet, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(BigInteger.Parse(row.AmountBaseUnits), delivered.Amount);
            Assert.Equal(BaseUnits.From(payments[id].CoinAmount, 6), delivered.Amount);
            Assert.Equal(delivered.Amount, await server.Chain.Node.TokenBalanceAsync(server.Chain.Usdc, wallet, CancellationToken.None));
            Assert.Equal(delivered.TxHash, row.MinedHash);
            Assert.Equal(PaymentStatuses.CoinsSent, payments[id].Status);
            Assert.Equal(delivered.TxHash, payments[id].Txid);
        }
        Assert.Equal(purchases.Count, await server.QueryAsync(db => db.OutboxEvents.CountAsync(e => ids.Contains(e.ResourceId) && e.Type == EventTypes.CoinsSent)));
        Assert.Equal(purchases.Count, await server.QueryAsync(db => db.LedgerEntries.Where(e => ids.Contains(e.PaymentId!) && e.PostingId.EndsWith(":coins_sent"))
            .Select(e => e.PostingId).Distinct().CountAsync()));
    }

    /// <summary>The network fee the ledger posted for these purchases, in the native coin.</summary>
    private Task<List<decimal>> FeesPostedAsync(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return server.QueryAsync(db => db.LedgerEntries.Where(e => list.Contains(e.PaymentId!) && e.Account == LedgerAccounts.NetworkFeeExpense && e.Asset == "POL")
            .Select(e => e.Amount).ToListAsync());
    }

    [Fact]
    public async Task ABatchOfPurchasesIsOneTransactionWithALegEachDeliveredExactlyOnce()
    {
        const int Count = 7;
        var purchases = await PaidPurchasesAsync(Count);
        var before = await PendingNonceAsync();

        await server.RoundAsync();

        var rows = await TransfersOfAsync(purchases);
        Assert.Equal(Count, rows.Count);
        Assert.All(rows, r => Assert.Equal((long)before, r.Nonce));
        Assert.Single(rows.Select(r => r.TxHash).Distinct());
        // The signed bytes once, on leg 0, and they are the transaction the legs name.
        Assert.Equal(rows[0].TxHash, ChainSettlement.HashOf(Assert.Single(rows, r => r.Leg == 0).RawTransaction));
        Assert.All(rows.Where(r => r.Leg > 0), r => Assert.Equal("", r.RawTransaction));
        Assert.All(rows, r => Assert.Equal(server.Disperse, r.DisperseContract));
        Assert.Equal(Enumerable.Range(0, Count), rows.Select(r => r.Leg));
        Assert.Equal(purchases.Select(p => p.Id).Order(), rows.Select(r => r.PaymentId).Order());
        Assert.Equal(before + 1, await PendingNonceAsync());

        await SettleAsync(purchases);

        await AssertDeliveredOnceEachAsync(purchases);
        var hash = rows[0].TxHash;
        // The call's arrays are the legs in order: the transaction's Transfer logs come out in leg order.
        var logs = (await server.Chain.TransfersFromHotWalletAsync()).Where(t => t.TxHash == hash).ToList();
        Assert.Equal(rows.Select(r => r.ToAddress.ToLowerInvariant()), logs.Select(l => l.To.ToLowerInvariant()));
        var receipt = (await server.Chain.Node.ReceiptAsync(hash, CancellationToken.None))!;
        var fees = await FeesPostedAsync(purchases.Select(p => p.Id));
        Assert.Equal(Count, fees.Count);
        Assert.Equal(BaseUnits.ToAmount(receipt.GasUsed * receipt.EffectiveGasPrice, 18), fees.Sum());
        Assert.Equal(before + 1, await PendingNonceAsync());
    }

    [Theory]
    [InlineData("21000000000000", 1)]
    [InlineData("1000000000000000007", 3)]
    [InlineData("999999999999999999999", 100)]
    [InlineData("5", 7)]
    public void AFeeSplitAcrossLegsAddsUpToTheWei(string feeWei, int legs)
    {
        var fee = BigInteger.Parse(feeWei);
        var shares = Enumerable.Range(0, legs).Select(leg => ChainSettlement.FeeShare(fee, legs, leg)).ToList();

        Assert.Equal(fee, shares.Aggregate(BigInteger.Zero, (a, b) => a + b));
        Assert.All(shares.Skip(1), share => Assert.Equal(fee / legs, share));
        Assert.Equal(fee / legs + fee % legs, shares[0]);
    }

    [Fact]
    public async Task WithTheAllowanceRevokedPurchasesGoOutAsSingleTransfersWithAnAlertUntilItIsBack()
    {
        await server.Chain.ApproveUsdcAsync(server.Disperse, BigInteger.Zero);
        try
        {
            var purchases = await PaidPurchasesAsync(3);
            var before = await PendingNonceAsync();

            await server.RoundAsync();

            var rows = await TransfersOfAsync(purchases);
            Assert.Equal(Enumerable.Range(0, 3).Select(i => (long)before + i), rows.Select(r => r.Nonce));
            Assert.All(rows, r => Assert.Equal(0, r.Leg));
            Assert.All(rows, r => Assert.Null(r.DisperseContract));
            Assert.Equal(3, rows.Select(r => r.TxHash).Distinct().Count());
            Assert.True(await AlertOpenAsync(DisperseAlert));

            await SettleAsync(purchases);
            await AssertDeliveredOnceEachAsync(purchases);
        }
        finally
        {
            await server.Chain.ApproveUsdcAsync(server.Disperse, Erc20.UnlimitedAllowance);
        }

        // Approved again: the next purchases are one batch, and the alert is resolved.
        var later = await PaidPurchasesAsync(2);
        await server.RoundAsync();
        var batch = await TransfersOfAsync(later);
        Assert.Single(batch.Select(r => r.TxHash).Distinct());
        Assert.All(batch, r => Assert.Equal(server.Disperse, r.DisperseContract));
        Assert.False(await AlertOpenAsync(DisperseAlert));
        await SettleAsync(later);
        await AssertDeliveredOnceEachAsync(later);
    }

    [Fact]
    public async Task ABatchWhoseTrialCallFailsFallsBackToSingleTransfers()
    {
        // A "Disperse" whose call always reverts, with the allowance in place so that only the trial call can fail: the
        // USDC contract itself (it has no disperseToken). The wallets the API takes are all ones TestToken accepts, so
        // a refused recipient cannot be made; a reverting call is what the node reports either way.
        var registry = server.Services.GetRequiredService<ChainRegistry>();
        var endpoint = registry.Find("polygon")!;
        await server.Chain.ApproveUsdcAsync(server.Chain.Usdc, Erc20.UnlimitedAllowance);
        var purchases = await PaidPurchasesAsync(3);
        var before = await PendingNonceAsync();
        registry.Register("polygon", WithDisperse(endpoint, server.Chain.Usdc));
        try
        {
            await server.RoundAsync();
        }
        finally
        {
            registry.Register("polygon", endpoint);
        }

        Assert.True(await AlertOpenAsync(DisperseAlert));
        var rows = await TransfersOfAsync(purchases);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => (long)before + i), rows.Select(r => r.Nonce));
        Assert.All(rows, r => Assert.Null(r.DisperseContract));
        Assert.All(rows, r => Assert.Equal(0, r.Leg));
        Assert.Equal(before + 3, await PendingNonceAsync());

        await SettleAsync(purchases);
        await AssertDeliveredOnceEachAsync(purchases);
    }

    private static ChainEndpointOptions WithDisperse(ChainEndpointOptions endpoint, string disperse) => new()
    {
        RpcUrl = endpoint.RpcUrl, SignerUrl = endpoint.SignerUrl, ChainId = endpoint.ChainId, HotWallet = endpoint.HotWallet, NativeSymbol = endpoint.NativeSymbol,
        Confirmations = endpoint.Confirmations, Tokens = endpoint.Tokens, Disperse = disperse,
    };

    [Fact]
    public async Task AStuckBatchIsReplacedAsOneTransactionAndDeliveredOnce()
    {
        var purchases = await PaidPurchasesAsync(4);
        await server.Chain.Node.CallAsync("evm_setAutomine", [false], CancellationToken.None);
        await server.Chain.Node.CallAsync("evm_setIntervalMining", [0], CancellationToken.None);
        List<ChainTransfer> first;
        List<ChainTransfer> replaced;
        try
        {
            await server.RoundAsync();
            first = await TransfersOfAsync(purchases);
            Assert.Single(first.Select(r => r.TxHash).Distinct());
            await Task.Delay(1200);
            await server.RoundAsync();
            replaced = await TransfersOfAsync(purchases);
        }
        finally
        {
            await server.Chain.Node.CallAsync("evm_setAutomine", [true], CancellationToken.None);
            await server.Chain.Node.CallAsync("evm_setIntervalMining", [1000], CancellationToken.None);
        }

        // One replacement transaction for all four legs: same nonce, new hash, the old one remembered, fees up.
        Assert.Equal(4, replaced.Count);
        var newHash = Assert.Single(replaced.Select(r => r.TxHash).Distinct());
        Assert.NotEqual(first[0].TxHash, newHash);
        Assert.Equal(newHash, ChainSettlement.HashOf(Assert.Single(replaced, r => r.Leg == 0).RawTransaction));
        Assert.All(replaced.Where(r => r.Leg > 0), r => Assert.Equal("", r.RawTransaction));
        Assert.All(replaced, r =>
        {
            Assert.Equal(first[0].Nonce, r.Nonce);
            Assert.Equal(first[0].TxHash, r.PreviousHashes);
            Assert.Equal(1, r.Replacements);
            Assert.True(BigInteger.Parse(r.MaxPriorityFeePerGas) > BigInteger.Parse(first[0].MaxPriorityFeePerGas));
        });
        Assert.Equal(first.Select(r => (r.PaymentId, r.Leg, r.ToAddress, r.AmountBaseUnits)), replaced.Select(r => (r.PaymentId, r.Leg, r.ToAddress, r.AmountBaseUnits)));
        await server.Chain.Node.CallAsync("evm_mine", [], CancellationToken.None);

        await SettleAsync(purchases);

        await AssertDeliveredOnceEachAsync(purchases);
        Assert.Single((await TransfersOfAsync(purchases)).Select(r => r.MinedHash).Distinct());
    }

    [Fact]
    public async Task RacingInstancesRecordOneBatchPerNonceAndDeliverEachOnce()
    {
        var purchases = await PaidPurchasesAsync(8);

        for (var round = 0; round < 10; round++)
        {
            await Task.WhenAll(server.RoundAsync(), server.RoundAsync(), server.RoundAsync());
        }
        await SettleAsync(purchases);

        await AssertDeliveredOnceEachAsync(purchases);
        var rows = await TransfersOfAsync(purchases);
        foreach (var transaction in rows.GroupBy(r => r.Nonce))
        {
            Assert.Single(transaction.Select(r => r.TxHash).Distinct());
            Assert.Equal(Enumerable.Range(0, transaction.Count()), transaction.Select(r => r.Leg).Order());
        }
    }

    [Fact]
    public async Task TwoDifferentTransactionsCannotBeRecordedForOneNonce()
    {
        // Not paid: no round may ever pick them up, so the made-up rows below are all there is.
        var purchases = await PaidPurchasesAsync(2, paid: false);
        var from = EvmAddress.ToChecksum(server.Chain.HotWallet);
        ChainTransfer Leg0(string paymentId, string hash) => new()
        {
            PaymentId = paymentId, Chain = "polygon", ChainId = 31337, FromAddress = from, ToAddress = ChainServer.RandomWallet(), Asset = "USDC",
            TokenContract = server.Chain.Usdc, AmountBaseUnits = "1", Nonce = 1_000_000, Leg = 0, DisperseContract = server.Disperse,
            Status = ChainTransferStatuses.Confirmed, TxHash = hash, RawTransaction = "0x02", MaxFeePerGas = "1", MaxPriorityFeePerGas = "1",
            GasLimit = 50_000, CreatedAt = DateTime.UtcNow,
        };
        await server.QueryAsync(db =>
        {
            db.ChainTransfers.Add(Leg0(purchases[0].Id, "0x" + new string('a', 64)));
            return db.SaveChangesAsync();
        });

        // Another instance's batch for the same nonce: its leg 0 clashes, whatever purchases it pays.
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => server.QueryAsync(db =>
        {
            db.ChainTransfers.Add(Leg0(purchases[1].Id, "0x" + new string('b', 64)));
            return db.SaveChangesAsync();
        }));
        await server.QueryAsync(db => db.ChainTransfers.Where(t => t.Nonce == 1_000_000).ExecuteDeleteAsync());
    }
}
