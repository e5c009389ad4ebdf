using System.Numerics;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Settlement;

/// <summary>
/// Delivery on a real Hardhat node through the project's signer, and the crash points of the exactly-once design:
/// each test leaves the database as a crash at one line would, then checks the chain itself.
/// </summary>
public sealed class SettlementTests(ChainServer server) : IClassFixture<ChainServer>
{
    private async Task SettleAsync(params string[] ids)
    {
        for (var round = 0; round < 40; round++)
        {
            await server.RoundAsync();
            var done = await server.QueryAsync(db => db.Payments.CountAsync(p => ids.Contains(p.Id) && p.Status == PaymentStatuses.CoinsSent));
            if (done == ids.Length)
            {
                return;
            }
            await Task.Delay(300);
        }
        var transfers = await server.QueryAsync(db => db.ChainTransfers.AsNoTracking().Where(t => ids.Contains(t.PaymentId))
            .Select(t => $"{t.PaymentId} {t.Status} nonce {t.Nonce} {t.Error}").ToListAsync());
        var alerts = await server.QueryAsync(db => db.OperatorAlerts.AsNoTracking().Where(a => a.ResolvedAt == null).Select(a => a.Message).ToListAsync());
        Assert.Fail($"Purchases were not settled within 40 rounds. Transfers: {string.Join("; ", transfers)}. Alerts: {string.Join("; ", alerts)}");
    }

    private async Task<IReadOnlyList<(string TxHash, string To, BigInteger Amount)>> TransfersToAsync(string wallet) =>
        (await server.Chain.TransfersFromHotWalletAsync()).Where(t => t.To == wallet).ToList();

    [Fact]
    public async Task APaidPurchaseIsDeliveredOnChainOnceWithItsTxidLedgerAndEvent()
    {
        var (kit, id, wallet) = await server.PaidPurchaseAsync(100m);

        await SettleAsync(id);

        var detail = await kit.DetailAsync(id);
        var transfer = Assert.Single(await TransfersToAsync(wallet));
        Assert.Equal("coins_sent", detail.GetProperty("status").GetString());
        Assert.Equal(transfer.TxHash, detail.GetProperty("txid").GetString());
        Assert.Equal(BaseUnits.From(detail.GetProperty("coin_amount").GetDecimal(), 6), transfer.Amount);
        var receipt = await server.Chain.Node.ReceiptAsync(transfer.TxHash, CancellationToken.None);
        Assert.True(receipt!.Succeeded);
        var entries = await server.QueryAsync(db => db.LedgerEntries.Where(e => e.PaymentId == id).ToListAsync());
        Assert.All(entries.GroupBy(e => (e.PostingId, e.Asset)), g => Assert.Equal(0m, g.Sum(e => e.Amount)));
        Assert.Equal(0m, entries.Where(e => e.Account == LedgerAccounts.CryptoOwedToCustomers).Sum(e => e.Amount));
        Assert.Equal(1, await server.QueryAsync(db => db.OutboxEvents.CountAsync(e => e.ResourceId == id && e.Type == EventTypes.CoinsSent)));
    }

    /// <summary>
    /// Settlement finishes purchases with one UPDATE per mined transaction, not through the tracked entity: the row
    /// must be exactly what <see cref="Payment.MarkCoinsSent"/> makes of the purchase it read, field for field, so a
    /// field the domain method starts setting cannot be forgotten by the UPDATE.
    /// </summary>
    [Fact]
    public async Task AFinishedPurchaseIsStoredExactlyAsMarkCoinsSentLeavesIt()
    {
        var (_, id, _) = await server.PaidPurchaseAsync(40m);
        var before = await server.QueryAsync(db => db.Payments.AsNoTracking().SingleAsync(p => p.Id == id));

        await SettleAsync(id);

        var after = await server.QueryAsync(db => db.Payments.AsNoTracking().SingleAsync(p => p.Id == id));
        // The moment settlement finished it, from the event that committed with it.
        var finishedAt = await server.QueryAsync(db => db.OutboxEvents.Where(e => e.ResourceId == id && e.Type == EventTypes.CoinsSent).Select(e => e.OccurredAt).SingleAsync());
        before.MarkCoinsSent(after.Txid!, finishedAt);
        var properties = await server.QueryAsync(db => Task.FromResult(db.Model.FindEntityType(typeof(Payment))!.GetProperties().ToList()));
        Dictionary<string, object?> Fields(Payment payment) => properties.ToDictionary(p => p.Name, p => p.GetGetter().GetClrValue(payment));
        Assert.Equal(Fields(before), Fields(after));
        Assert.Equal(PaymentStatuses.CoinsSent, after.Status);
    }

    [Fact]
    public async Task TheChainsNativeCoinIsDeliveredAsValue()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var body = PurchaseKit.CardBody(await kit.ApprovedCustomerAsync(), 20m, type: "transfer");
        var wallet = ChainServer.RandomWallet();
        body["wallet"] = wallet;
        body["coin_symbol"] = "POL";
        var id = await kit.CreateAsync(body);
        await server.QueryAsync(async db =>
        {
            var payment = await db.Payments.SingleAsync(p => p.Id == id);
            await new PaymentLifecycle(db, TimeProvider.System).RecordPaymentReceivedAsync(payment, null, CancellationToken.None);
            return true;
        });

        await SettleAsync(id);

        var detail = await kit.DetailAsync(id);
        // (20 − 0.10 transfer fee − 0.10 network) / 0.20 EUR = 99 POL, sent as the transaction's value.
        Assert.Equal(99m, detail.GetProperty("coin_amount").GetDecimal());
        Assert.Equal(BaseUnits.From(99m, 18), await server.Chain.Node.BalanceAsync(wallet, CancellationToken.None));
        Assert.Empty(await TransfersToAsync(wallet));
        var receipt = await server.Chain.Node.ReceiptAsync(detail.GetProperty("txid").GetString()!, CancellationToken.None);
        Assert.True(receipt!.Succeeded);
    }

    [Fact]
    public async Task ACrashAfterBroadcastBeforeRecordingItLeadsToNoSecondTransfer()
    {
        var (_, id, wallet) = await server.PaidPurchaseAsync(42.42m);
        await server.RoundAsync();
        // The crash: the transaction went out, but the row still says "signed" and the purchase is not finished.
        await server.QueryAsync(db => db.ChainTransfers.Where(t => t.PaymentId == id)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.Status, ChainTransferStatuses.Recorded)));

        await SettleAsync(id);

        Assert.Single(await TransfersToAsync(wallet));
    }

    [Fact]
    public async Task ATransferRecordedButNeverBroadcastIsSentExactlyOnce()
    {
        var (_, id, wallet) = await server.PaidPurchaseAsync(55m);
        // The crash: signed and recorded, never broadcast. Build exactly what the worker records, by hand.
        var payment = await server.QueryAsync(db => db.Payments.SingleAsync(p => p.Id == id));
        var amount = BaseUnits.From(payment.CoinAmount, 6);
        var nonce = await server.Chain.Node.TransactionCountAsync(server.Chain.HotWallet, "pending", CancellationToken.None);
        var recorded = await server.QueryAsync(db => db.ChainTransfers.MaxAsync(t => (long?)t.Nonce));
        nonce = BigInteger.Max(nonce, (recorded ?? -1) + 1);
        var raw = await server.Chain.Signer.SignTransactionAsync(new JsonObject
        {
            ["from"] = server.Chain.HotWallet, ["to"] = server.Chain.Usdc, ["value"] = "0x0", ["data"] = Erc20.EncodeTransfer(wallet, amount),
            ["nonce"] = Hex.Quantity(nonce), ["gas"] = Hex.Quantity(100_000), ["maxFeePerGas"] = Hex.Quantity(20_000_000_000), ["maxPriorityFeePerGas"] = Hex.Quantity(1_000_000_000),
            ["chainId"] = "0x7a69", ["type"] = "0x2",
        }, CancellationToken.None);
        await server.QueryAsync(async db =>
        {
            db.ChainTransfers.Add(new ChainTransfer
            {
                PaymentId = id, Chain = "polygon", ChainId = 31337, FromAddress = server.Chain.HotWallet, ToAddress = wallet, Asset = "USDC",
                TokenContract = server.Chain.Usdc, AmountBaseUnits = amount.ToString(System.Globalization.CultureInfo.InvariantCulture), Nonce = (long)nonce,
                Status = ChainTransferStatuses.Recorded, TxHash = ChainSettlement.HashOf(raw), RawTransaction = raw, MaxFeePerGas = "20000000000",
                MaxPriorityFeePerGas = "1000000000", GasLimit = 100_000, CreatedAt = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        Assert.Empty(await TransfersToAsync(wallet));

        await SettleAsync(id);

        var transfer = Assert.Single(await TransfersToAsync(wallet));
        Assert.Equal(ChainSettlement.HashOf(raw), transfer.TxHash);
    }

    [Fact]
    public async Task TwoWorkersRacingOverTheSamePurchasesSendEachOnce()
    {
        var purchases = new List<(string Id, string Wallet)>();
        for (var i = 0; i < 6; i++)
        {
            var (_, id, wallet) = await server.PaidPurchaseAsync(10m + i);
            purchases.Add((id, wallet));
        }

        for (var round = 0; round < 15; round++)
        {
            await Task.WhenAll(server.RoundAsync(), server.RoundAsync(), server.RoundAsync());
        }
        await SettleAsync(purchases.Select(p => p.Id).ToArray());

        foreach (var (_, wallet) in purchases)
        {
            Assert.Single(await TransfersToAsync(wallet));
        }
    }

    [Fact]
    public async Task AStuckTransactionIsReplacedWithTheSameNonceAndOnlyOneIsMined()
    {
        var (_, id, wallet) = await server.PaidPurchaseAsync(33m);
        await server.Chain.Node.CallAsync("evm_setAutomine", [false], CancellationToken.None);
        await server.Chain.Node.CallAsync("evm_setIntervalMining", [0], CancellationToken.None);
        try
        {
            await server.RoundAsync();
            var first = await server.QueryAsync(db => db.ChainTransfers.AsNoTracking().SingleAsync(t => t.PaymentId == id));
            await Task.Delay(1200);
            await server.RoundAsync();
            var replaced = await server.QueryAsync(db => db.ChainTransfers.AsNoTracking().SingleAsync(t => t.PaymentId == id));

            Assert.Equal(first.Nonce, replaced.Nonce);
            Assert.NotEqual(first.TxHash, replaced.TxHash);
            Assert.Contains(first.TxHash, replaced.PreviousHashes, StringComparison.Ordinal);
            Assert.True(BigInteger.Parse(replaced.MaxPriorityFeePerGas) > BigInteger.Parse(first.MaxPriorityFeePerGas));
            Assert.Equal(0, await server.QueryAsync(db => db.OperatorAlerts.CountAsync(a => a.Key == $"transfer_stuck:{replaced.Id}")));

            // Still not mined after several replacements: an operator is told.
            for (var i = 1; i < ChainSettlement.StuckAlertAfterReplacements; i++)
            {
                await Task.Delay(1200);
                await server.RoundAsync();
            }
            var stuck = await server.QueryAsync(db => db.ChainTransfers.AsNoTracking().SingleAsync(t => t.PaymentId == id));
            Assert.Equal(ChainSettlement.StuckAlertAfterReplacements, stuck.Replacements);
            Assert.Equal(first.Nonce, stuck.Nonce);
            Assert.Equal(1, await server.QueryAsync(db => db.OperatorAlerts.CountAsync(a => a.Key == $"transfer_stuck:{stuck.Id}" && a.ResolvedAt == null)));
        }
        finally
        {
            await server.Chain.Node.CallAsync("evm_setAutomine", [true], CancellationToken.None);
            await server.Chain.Node.CallAsync("evm_setIntervalMining", [1000], CancellationToken.None);
        }
        await server.Chain.Node.CallAsync("evm_mine", [], CancellationToken.None);

        await SettleAsync(id);

        var transfer = Assert.Single(await TransfersToAsync(wallet));
        var row = await server.QueryAsync(db => db.ChainTransfers.AsNoTracking().SingleAsync(t => t.PaymentId == id));
        Assert.Equal(transfer.TxHash, row.MinedHash);
    }

    [Fact]
    public async Task AHotWalletTooLowLeavesThePurchaseWaitingWithAnAlertUntilRefilled()
    {
        var (kit, id, wallet) = await server.PaidPurchaseAsync(100m);
        var balance = await server.Chain.Node.TokenBalanceAsync(server.Chain.Usdc, server.Chain.HotWallet, CancellationToken.None);
        // Move the float away so this purchase cannot be covered.
        await server.QueryAsync(db => db.Payments.Where(p => p.Id == id).ExecuteUpdateAsync(p => p.SetProperty(x => x.CoinAmount, BaseUnits.ToAmount(balance, 6) + 1)));

        await server.RoundAsync();

        Assert.Equal("payment_received", (await kit.DetailAsync(id)).GetProperty("status").GetString());
        Assert.Empty(await TransfersToAsync(wallet));
        Assert.Equal(1, await server.QueryAsync(db => db.OperatorAlerts.CountAsync(a => a.Key == "hot_wallet_low:polygon:USDC" && a.ResolvedAt == null)));

        await server.Chain.MintUsdcAsync(server.Chain.HotWallet, 10m);
        await SettleAsync(id);

        Assert.Single(await TransfersToAsync(wallet));
        Assert.Equal(0, await server.QueryAsync(db => db.OperatorAlerts.CountAsync(a => a.Key == "hot_wallet_low:polygon:USDC" && a.ResolvedAt == null)));
        // The chain is shared by this class's tests: put the float back.
        await server.Chain.MintUsdcAsync(server.Chain.HotWallet, 100_000m);
    }
}
