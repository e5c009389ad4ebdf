using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Settlement;

/// <summary>The settlement worker running, with its poll five minutes apart: only a wake-up can start a round soon.</summary>
public sealed class WokenChainServer : ChainServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        base.Overrides.Where(o => o.Key is not ("Settlement:Enabled" or "Settlement:PollInterval"))
            .Append(new("Settlement:Enabled", "true")).Append(new("Settlement:PollInterval", "00:05:00"));
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
}
