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

    /// <summary>A transfer purchase to a new wallet, recorded as paid the way the bank import records one (PAY_IN committed with it).</summary>
    public async Task<(PurchaseKit Kit, string Id, string Wallet)> PaidPurchaseAsync(decimal amount = 100m)
    {
        var kit = await PurchaseKit.CreateAsync(this);
        var body = PurchaseKit.CardBody(await kit.ApprovedCustomerAsync(), amount, type: "transfer");
        var wallet = EvmAddress.ToChecksum(Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
        body["wallet"] = wallet;
        var id = await kit.CreateAsync(body);
        await QueryAsync(async db =>
        {
            var payment = await db.Payments.SingleAsync(p => p.Id == id);
            await new PaymentLifecycle(db, TimeProvider.System).RecordPaymentReceivedAsync(payment, null, CancellationToken.None);
            return true;
        });
        return (kit, id, wallet);
    }

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
