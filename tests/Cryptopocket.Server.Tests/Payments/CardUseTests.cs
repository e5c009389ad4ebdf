using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Cryptopocket.Server.Tests.Payments;

/// <summary>
/// The card use kept on each customer's row (<see cref="CardLimit"/>): every change to what counts against the
/// quarterly card limit moves it, it always equals the sum of the customer's counted card purchases, and a use never
/// kept or kept for an earlier quarter is brought up to date before it is checked. Limit 500 (the small-limit server).
/// </summary>
public sealed class CardUseTests(PurchaseRefusalTests.SmallLimitServer server) : IClassFixture<PurchaseRefusalTests.SmallLimitServer>
{
    private static readonly DateTime Quarter = CardLimit.QuarterOf(DateTime.UtcNow);

    /// <summary>The use kept on the customer's row, and what their counted card purchases of this quarter add up to.</summary>
    private Task<(DateTime? Quarter, long Kept, long Summed)> UseAsync(long userId) => server.QueryAsync(async db =>
    {
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == userId);
        var summed = (await CardLimit.SumAsync(db, [userId], Quarter, CancellationToken.None)).GetValueOrDefault(userId);
        return (customer.CardUseQuarter, customer.CardUseCents, summed);
    });

    private async Task AssertUseAsync(long userId, long cents)
    {
        var (quarter, kept, summed) = await UseAsync(userId);
        Assert.Equal(Quarter, quarter);
        Assert.Equal(cents, summed);
        Assert.Equal(summed, kept);
    }

    private static async Task ChooseAsync(FormClient browser, string id, string method)
    {
        var (response, _) = await browser.SubmitAsync($"/payment/{id}", $"/payment/{id}", new() { ["wallet"] = PurchaseKit.Wallet, ["method"] = method });
        Assert.EndsWith($"/payment/{id}/{method}", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    private Task<int> MakeDueAsync(params string[] paymentIds) => server.QueryAsync(db =>
        db.Payments.Where(p => paymentIds.Contains(p.Id)).ExecuteUpdateAsync(p => p.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));

    private Task<int> ExpireDueAsync() =>
        server.Services.GetServices<IHostedService>().OfType<PaymentExpiryJob>().Single().ExpireDueAsync(CancellationToken.None);

    private async Task ExpireAsync(string paymentId)
    {
        await MakeDueAsync(paymentId);
        await ExpireDueAsync();
    }

    [Fact]
    public async Task EveryChangeToWhatCountsMovesTheUseAndItStaysTheSumOfTheCountedCardPurchases()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        using var browser = new FormClient(server.BaseAddress);

        var guided = await kit.CreateAsync(PurchaseKit.GuidedBody(user, 100m), "/api/createGuidedPayment");
        await AssertUseAsync(user, 100_00);
        var card = await kit.CreateAsync(PurchaseKit.CardBody(user, 50m));
        await kit.CreateAsync(PurchaseKit.CardBody(user, 70m, type: "transfer"));
        await AssertUseAsync(user, 150_00);

        await ChooseAsync(browser, guided, "transfer");
        await AssertUseAsync(user, 50_00);
        await ChooseAsync(browser, guided, "transfer");
        await AssertUseAsync(user, 50_00);
        await ChooseAsync(browser, guided, "card");
        await AssertUseAsync(user, 150_00);
        await ChooseAsync(browser, guided, "card");
        await AssertUseAsync(user, 150_00);

        // A declined card rejects the purchase; an unpaid card purchase expires.
        await browser.SubmitAsync($"/payment/{guided}/card", $"/payment/{guided}/card",
            new() { ["number"] = "4000000000000002", ["expiry"] = "12/39", ["cvc"] = "123", ["holder"] = "Lucia Garcia" });
        Assert.Equal("payment_rejected", (await kit.DetailAsync(guided)).GetProperty("status").GetString());
        await AssertUseAsync(user, 50_00);
        await ExpireAsync(card);
        Assert.Equal("expired", (await kit.DetailAsync(card)).GetProperty("status").GetString());
        await AssertUseAsync(user, 0);
    }

    [Fact]
    public async Task APurchaseThatStopsCountingMakesRoomUnderTheLimit()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var first = await kit.CreateAsync(PurchaseKit.CardBody(user, 200m));
        await kit.CreateAsync(PurchaseKit.CardBody(user, 300m));
        Assert.Equal("limit_exceded", (await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 10m))).GetProperty("error").GetString());

        await ExpireAsync(first);

        await kit.CreateAsync(PurchaseKit.CardBody(user, 200m));
        Assert.Equal("limit_exceded", (await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 10m))).GetProperty("error").GetString());
        await AssertUseAsync(user, 500_00);
    }

    [Fact]
    public async Task SwitchingToCardOnTheGatewayIsRefusedWhenItWouldExceedTheLimit()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        using var browser = new FormClient(server.BaseAddress);
        var guided = await kit.CreateAsync(PurchaseKit.GuidedBody(user, 100m), "/api/createGuidedPayment");
        await ChooseAsync(browser, guided, "transfer");
        await kit.CreateAsync(PurchaseKit.CardBody(user, 450m));

        var (response, _) = await browser.SubmitAsync($"/payment/{guided}", $"/payment/{guided}", new() { ["wallet"] = PurchaseKit.Wallet, ["method"] = "card" });

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("transfer", (await kit.DetailAsync(guided)).GetProperty("payment_type").GetString());
        await AssertUseAsync(user, 450_00);
    }

    [Fact]
    public async Task AUseNeverKeptIsSummedFromThePurchasesBeforeItIsChecked()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        await kit.CreateAsync(PurchaseKit.CardBody(user, 300m));
        var expired = await kit.CreateAsync(PurchaseKit.CardBody(user, 100m));
        // As a customer from before the use was kept: no quarter, nothing counted. Expiring a purchase then changes nothing kept.
        await server.QueryAsync(db => db.Customers.Where(c => c.Id == user)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.CardUseQuarter, (DateTime?)null).SetProperty(x => x.CardUseCents, 0L)));
        await ExpireAsync(expired);
        Assert.Equal((null, 0, 300_00), await UseAsync(user));

        Assert.Equal("limit_exceded", (await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 250m))).GetProperty("error").GetString());
        await kit.CreateAsync(PurchaseKit.CardBody(user, 200m));

        await AssertUseAsync(user, 500_00);
    }

    [Fact]
    public async Task AUseKeptForAnEarlierQuarterStartsAgainAndThatQuartersPurchasesLeaveThisOneAlone()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var lastQuarter = await kit.CreateAsync(PurchaseKit.CardBody(user, 400m));
        var previous = Quarter.AddMonths(-3);
        await server.QueryAsync(async db =>
        {
            await db.Payments.Where(p => p.Id == lastQuarter).ExecuteUpdateAsync(p => p.SetProperty(x => x.CreatedAt, previous.AddDays(10)));
            return await db.Customers.Where(c => c.Id == user).ExecuteUpdateAsync(c => c.SetProperty(x => x.CardUseQuarter, previous));
        });

        await kit.CreateAsync(PurchaseKit.CardBody(user, 300m));
        await AssertUseAsync(user, 300_00);
        // Last quarter's purchase expiring does not give this quarter room.
        await ExpireAsync(lastQuarter);
        await AssertUseAsync(user, 300_00);
        Assert.Equal("limit_exceded", (await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 250m))).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ParallelPurchasesAndExpiriesOfOneCustomerLeaveTheUseEqualToTheSum()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var early = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            early.Add(await kit.CreateAsync(PurchaseKit.CardBody(user, 100m)));
        }

        // Three expire while eight more try to fit: whatever order they commit in, what is kept is the sum.
        await MakeDueAsync([.. early]);
        var purchases = Enumerable.Range(0, 8).Select(_ => kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 100m))).ToList();
        await Task.WhenAll(ExpireDueAsync(), ExpireDueAsync());
        var answers = await Task.WhenAll(purchases);

        var created = answers.Count(a => a.GetProperty("status").GetString() == "success");
        Assert.InRange(created, 2, 5);
        Assert.All(answers.Where(a => a.GetProperty("status").GetString() != "success"), a => Assert.Equal("limit_exceded", a.GetProperty("error").GetString()));
        await AssertUseAsync(user, created * 100_00);
    }

    [Fact]
    public async Task AnotherIntegrationsCardPurchaseForTheCustomerWritesNothingOnTheirRow()
    {
        var owner = await PurchaseKit.CreateAsync(server);
        var user = await owner.ApprovedCustomerAsync();
        var other = await PurchaseKit.CreateAsync(server);

        Assert.Equal("user_not_found", (await other.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 10m))).GetProperty("error").GetString());

        Assert.Equal((null, 0, 0), await UseAsync(user));
    }

    [Fact]
    public async Task TheUseCountsOnlyWhereItsQuarterIsThePurchases()
    {
        var customer = new Customer
        {
            Email = "x@example.com", Name = "L", LastName = "G", Phone = "+34600123456", Country = "Spain", CountryCode = "ESP", City = "Madrid",
            Address = "Calle Mayor 1", AddressState = "Madrid", Zipcode = "28013", IdentificationType = "GOVERNMENT_ID", IdentificationNumber = "1",
            PasswordHash = "-", ProfessionalActivity = "-", KycToken = "-", CardUseQuarter = Quarter, CardUseCents = 100,
        };

        Assert.True(CardLimit.TryAdd(customer, 50, Quarter.AddMonths(-1), limitCents: 1_000));
        Assert.Equal(100, customer.CardUseCents);
        Assert.True(CardLimit.TryAdd(customer, 50, Quarter.AddMonths(2).AddDays(27), limitCents: 1_000));
        Assert.Equal(150, customer.CardUseCents);
        Assert.False(CardLimit.TryAdd(customer, 851, Quarter, limitCents: 1_000));
        Assert.Equal(150, customer.CardUseCents);
        Assert.Equal(new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), CardLimit.QuarterOf(new DateTime(2026, 12, 31, 23, 59, 59, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), CardLimit.QuarterOf(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }
}
