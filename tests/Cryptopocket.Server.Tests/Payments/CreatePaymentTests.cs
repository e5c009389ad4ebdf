using System.Globalization;
using System.Text.Json;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Payments;

/// <summary>Wire reference §5.3–§5.5: createPayment, createGuidedPayment and the payment detail, quirks included.</summary>
public sealed class CreatePaymentTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task CardPurchaseAnswersSuccessWithAGatewayUrlAndA25CharacterId()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();

        var json = await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user));

        Assert.Equal("success", json.GetProperty("status").GetString());
        Assert.Equal("payment_created", json.GetProperty("message").GetString());
        var data = json.GetProperty("data");
        Assert.Equal(["url_payment", "payment_id"], data.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Matches("^[A-Za-z0-9]{25}$", data.GetProperty("payment_id").GetString());
        Assert.Matches($"^{Regex(server.BaseAddress + "gateway/card?token=")}[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$",
            data.GetProperty("url_payment").GetString());
    }

    [Fact]
    public async Task TransferPurchaseAnswersBankDetailsWithTheDocumentedSucessSpelling()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();

        var json = await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(user, type: "transfer"));

        Assert.Equal("sucess", json.GetProperty("status").GetString());
        Assert.Equal("payment_created", json.GetProperty("message").GetString());
        var data = json.GetProperty("data");
        Assert.Equal(["payment_id", "iban", "bic", "concept", "destination_name"], data.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(JsonValueKind.Number, data.GetProperty("concept").ValueKind);
        Assert.Equal("ES6867130002530016234794", data.GetProperty("iban").GetString());
    }

    [Fact]
    public async Task GuidedPurchaseAnswersTheGatewayUrlOnThisHostAndEchoesTheExternalId()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();

        var json = await kit.PostAsync("/api/createGuidedPayment", PurchaseKit.GuidedBody(user, externalId: "order-abc-001"));

        Assert.Equal("success", json.GetProperty("status").GetString());
        Assert.Equal("guided_payment_created", json.GetProperty("message").GetString());
        var data = json.GetProperty("data");
        var id = data.GetProperty("payment_id").GetString();
        Assert.Equal($"{server.BaseAddress}payment/{id}", data.GetProperty("gateway_url").GetString());
        Assert.Equal("order-abc-001", data.GetProperty("external_id").GetString());
    }

    [Fact]
    public async Task PaymentDetailMatchesTheDocumentedShape()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var id = await kit.CreateAsync(PurchaseKit.CardBody(user, 150.50m, externalId: "order-1"));

        var detail = await kit.DetailAsync(id);

        Assert.Equal(
            ["id", "external_id", "user_id", "status", "fiat_amount", "fiat_symbol", "coin_symbol", "coin_amount", "created_at", "holder"],
            detail.EnumerateObject().Select(p => p.Name).Take(10).ToArray());
        Assert.Equal(JsonValueKind.String, detail.GetProperty("user_id").ValueKind);
        Assert.Equal(user.ToString(CultureInfo.InvariantCulture), detail.GetProperty("user_id").GetString());
        Assert.Equal("started", detail.GetProperty("status").GetString());
        Assert.Equal(15050, detail.GetProperty("fiat_amount").GetInt64());
        Assert.Equal(JsonValueKind.Number, detail.GetProperty("coin_amount").ValueKind);
        Assert.DoesNotMatch("0$", detail.GetProperty("coin_amount").GetRawText());
        // (150.50 − 2.5 % − 0.25 − 0.10 network) / 0.92, rounded down to 6 places: fees 4.11 (3.7625+0.25 → 4.01) …
        var fees = 4.01m + 0.10m;
        Assert.Equal(decimal.Round((150.50m - fees) / 0.92m, 6, MidpointRounding.ToZero), detail.GetProperty("coin_amount").GetDecimal());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", detail.GetProperty("created_at").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("holder").ValueKind);
        Assert.False(detail.TryGetProperty("txid", out _));
    }

    [Fact]
    public async Task RepeatingAnExternalIdReturnsTheSamePurchase()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var first = await kit.CreateAsync(PurchaseKit.CardBody(user, externalId: "remesa-7"));
        var count = await server.CountAsync<Payment>();

        var again = await kit.CreateAsync(PurchaseKit.CardBody(user, 99m, externalId: "remesa-7"));
        var parallel = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => kit.CreateAsync(PurchaseKit.CardBody(user, externalId: "remesa-8"))));

        Assert.Equal(first, again);
        Assert.Single(parallel.Distinct());
        Assert.Equal(count + 1, await server.CountAsync<Payment>());
    }

    [Fact]
    public async Task AnotherIntegrationsPurchaseIsNotFound()
    {
        var owner = await PurchaseKit.CreateAsync(server);
        var stranger = await PurchaseKit.CreateAsync(server);
        var id = await owner.CreateAsync(PurchaseKit.CardBody(await owner.ApprovedCustomerAsync()));

        await (await stranger.Http.GetAsync($"/api/payment/{id}")).AssertBusinessErrorAsync("payment_not_found");
        await (await stranger.Http.GetAsync("/api/payment/short")).AssertBusinessErrorAsync("payment_not_found");
    }

    [Fact]
    public async Task ConcurrentDetailReadsEachAnswerTheirOwnPurchaseAndNoOneElses()
    {
        // Concurrent reads share queries (BatchedReads): the owner check must still hold per request.
        var owner = await PurchaseKit.CreateAsync(server);
        var stranger = await PurchaseKit.CreateAsync(server);
        var ownerUser = await owner.ApprovedCustomerAsync();
        var strangerUser = await stranger.ApprovedCustomerAsync();
        var owners = new List<string>();
        var strangers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            owners.Add(await owner.CreateAsync(PurchaseKit.CardBody(ownerUser, 10m + i)));
            strangers.Add(await stranger.CreateAsync(PurchaseKit.CardBody(strangerUser, 20m + i)));
        }
        var missing = new string('x', 25);
        var asks = Enumerable.Range(0, 60).Select(i => (i % 3) switch
        {
            0 => (Kit: owner, Id: owners[i % 4], Expected: owners[i % 4]),
            1 => (Kit: stranger, Id: owners[i % 4], Expected: (string?)null),
            _ => (Kit: i % 2 == 0 ? owner : stranger, Id: i % 4 == 0 ? missing : strangers[i % 4], Expected: i % 4 != 0 && i % 2 == 1 ? strangers[i % 4] : null),
        }).ToList();

        var answers = await Task.WhenAll(asks.Select(ask => ask.Kit.Http.GetAsync($"/api/payment/{ask.Id}")));

        for (var i = 0; i < asks.Count; i++)
        {
            if (asks[i].Expected is { } expected)
            {
                var json = await answers[i].JsonAsync();
                Assert.Equal("ok", json.GetProperty("status").GetString());
                Assert.Equal(expected, json.GetProperty("data").GetProperty("id").GetString());
            }
            else
            {
                await answers[i].AssertBusinessErrorAsync("payment_not_found");
            }
        }
    }

    [Fact]
    public async Task AnotherIntegrationsCustomerCannotBuy()
    {
        var owner = await PurchaseKit.CreateAsync(server);
        var stranger = await PurchaseKit.CreateAsync(server);
        var user = await owner.ApprovedCustomerAsync();
        var before = await server.CountAsync<Payment>();

        var json = await stranger.PostAsync("/api/createPayment", PurchaseKit.CardBody(user));

        Assert.Equal("user_not_found", json.GetProperty("error").GetString());
        Assert.Equal(before, await server.CountAsync<Payment>());
    }

    [Fact]
    public async Task ALockedQuoteRecordsRateFeesAndExpiry()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var id = await kit.CreateAsync(PurchaseKit.CardBody(await kit.ApprovedCustomerAsync(), 100m));

        var payment = await server.QueryAsync(db => db.Payments.SingleAsync(p => p.Id == id));

        Assert.Equal(0.92m, payment.Rate);
        Assert.Equal(275, payment.ProcessingFeeCents);
        Assert.Equal(10, payment.NetworkFeeCents);
        Assert.Equal(105.597826m, payment.CoinAmount);
        Assert.InRange(payment.ExpiresAt - payment.CreatedAt, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
    }

    private static string Regex(string literal) => System.Text.RegularExpressions.Regex.Escape(literal);
}
