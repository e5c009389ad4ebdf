using System.Numerics;
using Cryptopocket.Client;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Tests.Infrastructure;
using Cryptopocket.Server.Tests.Rampoffs;

namespace Cryptopocket.Server.Tests.Sdk;

/// <summary>The off-ramp endpoints through the SDK against the real server, with a deposit factory configured.</summary>
public sealed class SdkRampoffTests(RampoffApiTests.OffRampServer server) : IClassFixture<RampoffApiTests.OffRampServer>
{
    private async Task<(CryptopocketClient Client, long UserId)> ApprovedAsync()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        return (server.CreateClient(kit.Credentials), await kit.ApprovedCustomerAsync());
    }

    private static CreateRampoffRequest Sale(long userId, decimal amount = 100.5m) => new()
    {
        UserId = userId, Amount = amount, Blockchain = "polygon", Symbol = "USDC", Iban = RampoffApiTests.Iban, ExternalId = "sdk-sale-1",
    };

    [Fact]
    public async Task QuotesCreatesReadsAndListsASaleWithExactAmounts()
    {
        var (client, user) = await ApprovedAsync();
        using var _ = client;

        var quote = await client.GetRampoffQuoteAsync(new RampoffQuoteOptions { Amount = 100.5m, Symbol = "USDC", Blockchain = "polygon" });
        var created = await client.CreateRampoffAsync(Sale(user));
        var detail = await client.GetRampoffAsync(created.Id);
        var page = await client.ListRampoffsAsync(new RampoffListOptions { Status = RampoffStatus.WaitingCrypto, UserId = user });

        // 100.5 × 0.92 = 92.46 gross; 1 % processing 0.92 and network 0.10 leave 91.44.
        Assert.Equal(100.5m, quote.Amount);
        Assert.Equal(new BigInteger(100_500_000), quote.AmountBaseUnits);
        Assert.Equal(6, quote.Decimals);
        Assert.Equal(("USDC", "polygon", "EUR"), (quote.Symbol, quote.Blockchain, quote.FiatSymbol));
        Assert.Equal(0.92m, quote.Rate);
        Assert.Equal(92.46m, quote.GrossFiatAmount);
        Assert.Equal(new QuoteFeeBreakdown(0.92m, 0.10m, 0m, 1.02m), quote.Fees);
        Assert.Equal(91.44m, quote.FiatAmount);
        Assert.True(quote.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(20));

        Assert.Matches("^[A-Za-z0-9]{25}$", created.Id);
        Assert.Matches("^0x[0-9a-fA-F]{40}$", created.DepositAddress);

        Assert.Equal(created.Id, detail.Id);
        Assert.Equal(RampoffStatus.WaitingCrypto, detail.Status);
        Assert.Equal(("polygon", "USDC"), (detail.Blockchain, detail.Symbol));
        Assert.Equal(new BigInteger(100_500_000), detail.AmountBaseUnits);
        Assert.Equal(6, detail.Decimals);
        Assert.Equal(100.5m, detail.Amount);
        Assert.Equal(quote.FiatAmount, detail.FiatAmount);
        Assert.Equal("EUR", detail.FiatSymbol);
        Assert.Equal(user, detail.UserId);
        Assert.Equal("sdk-sale-1", detail.ExternalId);
        Assert.Equal(created.DepositAddress, detail.DepositAddress);
        Assert.Equal(BigInteger.Zero, detail.ReceivedBaseUnits);
        Assert.Equal(0m, detail.ReceivedAmount);
        Assert.Equal(0.92m, detail.Rate);
        Assert.Equal(quote.Fees, detail.Fees);
        Assert.Equal(RampoffApiTests.Iban, detail.Iban);
        Assert.Null(detail.FailureReason);
        Assert.True(detail.DepositDeadline > detail.CreatedAt);

        Assert.Equal([detail], page.Rampoffs);
        Assert.Equal((1, 20, 1, 1), (page.Page, page.PerPage, page.Total, page.LastPage));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyAnswersTheSameSale()
    {
        var (client, user) = await ApprovedAsync();
        using var _ = client;
        var options = new RequestOptions { IdempotencyKey = "sale-" + Guid.NewGuid().ToString("N") };

        // No external id, which would deduplicate by itself: only the key makes the second call answer the first sale.
        var sale = Sale(user) with { ExternalId = null };

        var first = await client.CreateRampoffAsync(sale, options);
        var second = await client.CreateRampoffAsync(sale, options);

        Assert.Equal(first, second);
        var all = new List<RampoffInfo>();
        await foreach (var rampoff in client.ListAllRampoffsAsync(new RampoffListOptions { PerPage = 1 }))
        {
            all.Add(rampoff);
        }
        Assert.Equal([first.Id], all.Select(r => r.Id));
    }

    [Fact]
    public async Task ListAllWalksEveryPageOfSales()
    {
        var (client, user) = await ApprovedAsync();
        using var _ = client;
        for (var i = 0; i < 3; i++)
        {
            await client.CreateRampoffAsync(Sale(user, 20m + i) with { ExternalId = null });
        }

        var all = new List<RampoffInfo>();
        await foreach (var rampoff in client.ListAllRampoffsAsync(new RampoffListOptions { PerPage = 2 }))
        {
            all.Add(rampoff);
        }

        Assert.Equal(3, all.Select(r => r.Id).Distinct().Count());
        Assert.Equal([20m, 21m, 22m], all.Select(r => r.Amount).Order().ToArray());
    }

    [Fact]
    public async Task RefusalsSurfaceAsCryptopocketExceptions()
    {
        var (client, user) = await ApprovedAsync();
        using var _ = client;

        var quoteError = await Assert.ThrowsAsync<CryptopocketException>(
            () => client.GetRampoffQuoteAsync(new RampoffQuoteOptions { Amount = 5m, Symbol = "USDC", Blockchain = "polygon" }));
        var createError = await Assert.ThrowsAsync<CryptopocketException>(() => client.CreateRampoffAsync(Sale(user, 5m)));
        var notFound = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetRampoffAsync("S35AJ0gSzf6P30XJRc2yMsIOK"));

        Assert.Equal(ErrorCodes.MinPurchase, quoteError.ErrorCode);
        Assert.Equal(ErrorCodes.MinPurchase, createError.ErrorCode);
        Assert.Equal(ErrorCodes.RampoffNotFound, notFound.ErrorCode);
        Assert.Equal(0, (await client.ListRampoffsAsync()).Total);
    }
}
