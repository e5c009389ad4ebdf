using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Cryptopocket.Server.Tests.Payments;

public sealed class ExpiryTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task AnUnpaidPurchasePastItsQuoteExpiresButATransferOnItsWayWaits()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var unpaid = await kit.CreateAsync(PurchaseKit.CardBody(user, 50m));
        var onItsWay = await kit.CreateAsync(PurchaseKit.CardBody(user, 50m, type: "transfer"));
        await server.QueryAsync(async db =>
        {
            var payment = await db.Payments.SingleAsync(p => p.Id == onItsWay);
            payment.MarkPendingBank(DateTime.UtcNow);
            await db.SaveChangesAsync();
            return await db.Payments.Where(p => p.Id == unpaid || p.Id == onItsWay)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        });

        var expired = await server.Services.GetServices<IHostedService>().OfType<PaymentExpiryJob>().Single().ExpireDueAsync(CancellationToken.None);

        Assert.True(expired >= 1);
        Assert.Equal("expired", (await kit.DetailAsync(unpaid)).GetProperty("status").GetString());
        Assert.Equal("pending_bank", (await kit.DetailAsync(onItsWay)).GetProperty("status").GetString());
        Assert.Equal(1, await server.QueryAsync(db => db.OutboxEvents.CountAsync(e => e.ResourceId == unpaid && e.Type == "PAYMENT_FAILED")));
    }

    [Fact]
    public async Task TheGatewayExpiresAStalePurchaseOnTheSpot()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var id = await kit.CreateAsync(PurchaseKit.GuidedBody(await kit.ApprovedCustomerAsync()), "/api/createGuidedPayment");
        await server.QueryAsync(db => db.Payments.Where(p => p.Id == id).ExecuteUpdateAsync(p => p.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));
        using var browser = new FormClient(server.BaseAddress);

        var (_, html) = await browser.GetAsync($"/payment/{id}");

        Assert.Equal("expired", FormClient.DataStatus(html));
    }
}
