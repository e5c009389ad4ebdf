using System.Net.Http.Json;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Payments;

public sealed class IdempotencyAndListTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task TheSameKeyAndBodyReplayTheStoredAnswerAndCreateOnePurchase()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var body = PurchaseKit.CardBody(await kit.ApprovedCustomerAsync());
        var before = await server.CountAsync<Payment>();
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => kit.PostAsync("/api/createPayment", body, key)));

        Assert.Single(answers.Select(a => a.GetProperty("data").GetProperty("payment_id").GetString()).Distinct());
        Assert.Equal(before + 1, await server.CountAsync<Payment>());
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIsRefused()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var key = Guid.NewGuid().ToString();
        await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 100m), key);
        var before = await server.CountAsync<Payment>();

        var json = await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, 101m), key);

        Assert.Equal("idempotency_key_reused", json.GetProperty("error").GetString());
        Assert.Equal(before, await server.CountAsync<Payment>());
    }

    [Fact]
    public async Task KeysBelongToOneIntegration()
    {
        var first = await PurchaseKit.CreateAsync(server);
        var second = await PurchaseKit.CreateAsync(server);
        var key = Guid.NewGuid().ToString();

        var a = await first.PostAsync("/api/createPayment", PurchaseKit.CardBody(await first.ApprovedCustomerAsync()), key);
        var b = await second.PostAsync("/api/createPayment", PurchaseKit.CardBody(await second.ApprovedCustomerAsync()), key);

        Assert.NotEqual(a.GetProperty("data").GetProperty("payment_id").GetString(), b.GetProperty("data").GetProperty("payment_id").GetString());
    }

    [Fact]
    public async Task AnInvalidKeyIsRefused()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var json = await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(1), new string('k', 300));

        Assert.Equal("idempotency_key_invalid", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ListFiltersPaginatesAndStaysWithinTheIntegration()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var other = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await kit.CreateAsync(PurchaseKit.CardBody(user, 20m + i, type: "transfer", externalId: $"list-{i}")));
        }
        await other.CreateAsync(PurchaseKit.CardBody(await other.ApprovedCustomerAsync()));

        var page1 = await (await kit.Http.GetAsync("/api/payments?per_page=2")).JsonAsync();
        var page3 = await (await kit.Http.GetAsync("/api/payments?per_page=2&page=3")).JsonAsync();
        var byExternal = await (await kit.Http.GetAsync("/api/payments?external_id=list-3")).JsonAsync();
        var byStatus = await (await kit.Http.GetAsync("/api/payments?status=coins_sent")).JsonAsync();
        var future = await (await kit.Http.GetAsync($"/api/payments?from={DateTime.UtcNow.AddDays(1):yyyy-MM-dd}")).JsonAsync();

        Assert.Equal(5, page1.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(3, page1.GetProperty("pagination").GetProperty("last_page").GetInt32());
        Assert.Equal(2, page1.GetProperty("data").GetArrayLength());
        Assert.Equal(1, page3.GetProperty("data").GetArrayLength());
        var listed = page1.GetProperty("data").EnumerateArray().Concat(page3.GetProperty("data").EnumerateArray()).Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.All(listed, id => Assert.Contains(id, ids));
        Assert.Equal(ids[3], byExternal.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal(0, byStatus.GetProperty("data").GetArrayLength());
        Assert.Equal(0, future.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("status=paid")]
    [InlineData("page=0")]
    [InlineData("per_page=1000")]
    [InlineData("from=yesterday")]
    [InlineData("to=2026-13-45")]
    public async Task ListRefusesMalformedFilters(string query)
    {
        var kit = await PurchaseKit.CreateAsync(server);

        var response = await kit.Http.GetAsync("/api/payments?" + query);

        await response.AssertValidationErrorAsync(query.Split('=')[0]);
    }
}
