using Cryptopocket.Client;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Sdk;

/// <summary>The purchase endpoints through the SDK against the real server.</summary>
public sealed class SdkPurchaseTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<(CryptopocketClient Client, long UserId)> ApprovedAsync()
    {
        var client = server.CreateClient(await server.CreateIntegrationAsync());
        var user = await client.RegisterUserAsync(TestCustomers.SpanishRequest());
        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.DecideAsync(user.Id, true, null, CancellationToken.None));
        return (client, user.Id);
    }

    [Fact]
    public async Task CreatesEachKindOfPurchaseAndReadsItBackInCleanTypes()
    {
        var (client, user) = await ApprovedAsync();
        using var _ = client;

        var card = await client.CreatePaymentAsync(new CreatePaymentRequest
        {
            UserId = user, PaymentType = "card", FiatAmount = 150.50m, CoinSymbol = "USDC", CoinChain = "polygon", Wallet = PurchaseKit.Wallet, ExternalId = "sdk-1",
        });
        var transfer = await client.CreatePaymentAsync(new CreatePaymentRequest
        {
            UserId = user, PaymentType = "transfer", FiatAmount = 40m, CoinSymbol = "USDT", CoinChain = "ethereum", Wallet = PurchaseKit.Wallet,
        });
        var guided = await client.CreateGuidedPaymentAsync(new CreateGuidedPaymentRequest { UserId = user, CoinSymbol = "USDC", CoinChain = "polygon", FiatAmount = 100m });
        var detail = await client.GetPaymentAsync(card.PaymentId);

        Assert.NotNull(card.PaymentUrl);
        Assert.Null(card.Transfer);
        Assert.True(transfer.Transfer!.Concept > 0);
        Assert.Equal($"{server.BaseAddress}payment/{guided.PaymentId}", guided.GatewayUrl.ToString());
        Assert.Equal(150.50m, detail.FiatAmount);
        Assert.Equal(user, detail.UserId);
        Assert.Equal(PaymentStatus.Started, detail.Status);
        Assert.Equal("sdk-1", detail.ExternalId);
        Assert.Null(detail.Txid);
    }

    [Fact]
    public async Task RequireKycCarriesTheFormUrlThroughTheSdk()
    {
        using var client = server.CreateClient(await server.CreateIntegrationAsync());
        var user = await client.RegisterUserAsync(TestCustomers.SpanishRequest());

        var error = await Assert.ThrowsAsync<CryptopocketException>(() =>
            client.CreateGuidedPaymentAsync(new CreateGuidedPaymentRequest { UserId = user.Id, CoinSymbol = "USDC", CoinChain = "polygon", FiatAmount = 100m }));

        Assert.Equal("require_kyc", error.ErrorCode);
        Assert.Equal(user.KycFormUrl, error.Data);
    }

    [Fact]
    public async Task AnExplicitIdempotencyKeyCreatesOnePurchase()
    {
        var (client, user) = await ApprovedAsync();
        using var _ = client;
        var request = new CreatePaymentRequest { UserId = user, PaymentType = "psd2", FiatAmount = 30m, CoinSymbol = "USDC", CoinChain = "bsc", Wallet = PurchaseKit.Wallet };
        var options = new RequestOptions { IdempotencyKey = "order-" + Guid.NewGuid().ToString("N") };

        var first = await client.CreatePaymentAsync(request, options);
        var second = await client.CreatePaymentAsync(request, options);

        Assert.Equal(first.PaymentId, second.PaymentId);
        var page = await client.ListPaymentsAsync(new PaymentListOptions { PerPage = 10 });
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task ListAllWalksEveryPage()
    {
        var (client, user) = await ApprovedAsync();
        using var _ = client;
        for (var i = 0; i < 5; i++)
        {
            await client.CreatePaymentAsync(new CreatePaymentRequest { UserId = user, PaymentType = "transfer", FiatAmount = 20m + i, CoinSymbol = "USDC", CoinChain = "polygon", Wallet = PurchaseKit.Wallet });
        }

        var all = new List<PaymentInfo>();
        await foreach (var payment in client.ListAllPaymentsAsync(new PaymentListOptions { PerPage = 2 }))
        {
            all.Add(payment);
        }

        Assert.Equal(5, all.Select(p => p.Id).Distinct().Count());
        Assert.Equal([20m, 21m, 22m, 23m, 24m], all.Select(p => p.FiatAmount).Order().ToArray());
    }
}
