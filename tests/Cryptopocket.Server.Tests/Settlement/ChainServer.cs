using System.Security.Cryptography;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Settlement;

/// <summary>A server whose settlement points at a real local chain; the worker is off so each test drives rounds itself.</summary>
public class ChainServer : ServerFixture
{
    public LocalChain Chain { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        base.Overrides.Concat(Chain.SettlementConfiguration()).Append(new("Settlement:Enabled", "false")).Append(new("Settlement:ReplaceAfter", "00:00:01"));

    public override async Task InitializeAsync()
    {
        Chain = await LocalChain.StartAsync(usdcFloat: 100_000m);
        await PrepareChainAsync();
        await base.InitializeAsync();
    }

    /// <summary>Runs once the chain is up and before the server reads its configuration: contracts a subclass adds.</summary>
    protected virtual Task PrepareChainAsync() => Task.CompletedTask;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Chain.DisposeAsync();
    }

    public static string RandomWallet() => EvmAddress.ToChecksum(Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));

    /// <summary>A transfer purchase to a new wallet, recorded as paid the way the bank import records one (PAY_IN committed with it).</summary>
    public async Task<(PurchaseKit Kit, string Id, string Wallet)> PaidPurchaseAsync(decimal amount = 100m)
    {
        var kit = await PurchaseKit.CreateAsync(this);
        var (id, wallet) = await NewTransferPurchaseAsync(kit, amount);
        await RecordPaidAsync([id]);
        return (kit, id, wallet);
    }

    /// <summary>
    /// USDC transfer purchases of <paramref name="amount"/>(i), each by its own approved customer to its own fresh wallet,
    /// recorded as paid in that order (unless <paramref name="paid"/> is false).
    /// </summary>
    public async Task<List<(string Id, string Wallet)>> PaidPurchasesAsync(int count, Func<int, decimal> amount, bool paid = true)
    {
        var kit = await PurchaseKit.CreateAsync(this);
        var purchases = new List<(string Id, string Wallet)>();
        for (var i = 0; i < count; i++)
        {
            purchases.Add(await NewTransferPurchaseAsync(kit, amount(i)));
        }
        if (paid)
        {
            await RecordPaidAsync([.. purchases.Select(p => p.Id)]);
        }
        return purchases;
    }

    private static async Task<(string Id, string Wallet)> NewTransferPurchaseAsync(PurchaseKit kit, decimal amount)
    {
        var body = PurchaseKit.CardBody(await kit.ApprovedCustomerAsync(), amount, type: "transfer");
        var wallet = RandomWallet();
        body["wallet"] = wallet;
        return (await kit.CreateAsync(body), wallet);
    }

    private Task RecordPaidAsync(IReadOnlyList<string> paymentIds) => QueryAsync(async db =>
    {
        var lifecycle = new PaymentLifecycle(db, TimeProvider.System);
        var payments = await db.Payments.Where(p => paymentIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id);
        foreach (var id in paymentIds)
        {
            await lifecycle.RecordPaymentReceivedAsync(payments[id], null, CancellationToken.None);
        }
        return true;
    });

    public Task RoundAsync() => WithServiceAsync<bool, ChainSettlement>(async s =>
    {
        await s.RunRoundAsync("polygon", CancellationToken.None);
        return true;
    });

    /// <summary>The purchases' transfer rows, in nonce and then leg order.</summary>
    public Task<List<ChainTransfer>> TransfersOfAsync(IEnumerable<string> paymentIds)
    {
        var ids = paymentIds.ToList();
        return QueryAsync(db => db.ChainTransfers.AsNoTracking().Where(t => ids.Contains(t.PaymentId)).OrderBy(t => t.Nonce).ThenBy(t => t.Leg).ToListAsync());
    }

    /// <summary>Rounds until every purchase is coins_sent; fails with each transfer's state after 60.</summary>
    public async Task SettleAsync(IReadOnlyCollection<string> paymentIds)
    {
        for (var round = 0; round < 60; round++)
        {
            await RoundAsync();
            if (await QueryAsync(db => db.Payments.CountAsync(p => paymentIds.Contains(p.Id) && p.Status == PaymentStatuses.CoinsSent)) == paymentIds.Count)
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail("Purchases were not settled within 60 rounds: " +
            string.Join("; ", (await TransfersOfAsync(paymentIds)).Select(t => $"{t.PaymentId} {t.Status} nonce {t.Nonce} leg {t.Leg} {t.Error}")));
    }
}
