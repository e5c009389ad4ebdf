using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Settlement;

/// <summary>
/// The settlement worker running, with its poll five minutes apart: only a wake-up can start a round soon. Two
/// confirmations, as by default: a transfer is finished only once a later block than its own is mined.
/// </summary>
public sealed class WokenChainServer : ChainServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        base.Overrides.Where(o => o.Key is not ("Settlement:Enabled" or "Settlement:PollInterval" or "Settlement:Confirmations"))
            .Append(new("Settlement:Enabled", "true")).Append(new("Settlement:PollInterval", "00:05:00")).Append(new("Settlement:Confirmations", "2"));
}

public sealed class SettlementWakeTests(WokenChainServer server) : IClassFixture<WokenChainServer>
{
    [Fact]
    public async Task APaymentWakesSettlementInsteadOfWaitingForThePoll()
    {
        var (_, id, wallet) = await server.PaidPurchaseAsync(25m);

        // The worker's first round ran at start-up, before this purchase existed; the next poll is minutes away.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline
               && !await server.QueryAsync(db => db.ChainTransfers.AnyAsync(t => t.PaymentId == id)))
        {
            await Task.Delay(100);
        }
        var transfer = Assert.Single(await server.TransfersOfAsync([id]));
        Assert.Equal(wallet, transfer.ToAddress, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ANewBlockFinishesATransferInFlightInsteadOfWaitingForThePoll()
    {
        var (_, id, _) = await server.PaidPurchaseAsync(30m);

        // The payment wakes the round that sends it, mined at once in its own block. Its second confirmation is the
        // node's next block (an empty one every second); no payment follows to wake a round, and the poll is minutes away.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? status = null;
        while (DateTime.UtcNow < deadline && (status = await server.QueryAsync(db => db.Payments.Where(p => p.Id == id).Select(p => p.Status).SingleAsync())) != "coins_sent")
        {
            await Task.Delay(100);
        }
        Assert.Equal("coins_sent", status);
        var transfer = Assert.Single(await server.TransfersOfAsync([id]));
        Assert.Equal("confirmed", transfer.Status);
    }
}
