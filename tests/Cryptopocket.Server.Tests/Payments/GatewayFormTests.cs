using System.Net;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Payments;

/// <summary>
/// The hosted gateway's forms over real HTTP, as a browser posts them (cookies, antiforgery token): every sandbox
/// outcome, and replayed or tampered forms that must change nothing. Playwright covers the same pages in Chromium.
/// </summary>
public sealed class GatewayFormTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<(PurchaseKit Kit, string PaymentId)> GuidedAsync(decimal amount = 100m)
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var body = PurchaseKit.GuidedBody(await kit.ApprovedCustomerAsync(), amount);
        body["callback_url"] = "https://partner.example/done?ref=1";
        return (kit, await kit.CreateAsync(body, "/api/createGuidedPayment"));
    }

    private static async Task ChooseAsync(FormClient browser, string id, string method, string wallet = PurchaseKit.Wallet)
    {
        var (response, html) = await browser.SubmitAsync($"/payment/{id}", $"/payment/{id}", new() { ["wallet"] = wallet, ["method"] = method });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith($"/payment/{id}/{method}", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains(PurchaseKit.Wallet, html, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Card(string number) =>
        new() { ["number"] = number, ["expiry"] = "12/39", ["cvc"] = "123", ["holder"] = "Lucia Garcia" };

    [Fact]
    public async Task AnApprovedTestCardPaysTheGuidedPurchase()
    {
        var (kit, id) = await GuidedAsync();
        using var browser = new FormClient(server.BaseAddress);
        await ChooseAsync(browser, id, "card");

        var (response, html) = await browser.SubmitAsync($"/payment/{id}/card", $"/payment/{id}/card", Card("4242 4242 4242 4242"));

        Assert.Equal("payment_received", FormClient.DataStatus(html));
        Assert.Contains("https://partner.example/done?ref=1&amp;payment_id=" + id + "&amp;status=payment_received", html, StringComparison.Ordinal);
        var detail = await kit.DetailAsync(id);
        Assert.Equal("payment_received", detail.GetProperty("status").GetString());
        Assert.Equal("4242", detail.GetProperty("holder").GetProperty("card_last4").GetString());
        Assert.Equal(PurchaseKit.Wallet, detail.GetProperty("wallet").GetString());
        Assert.Equal(1, await server.QueryAsync(db => db.OutboxEvents.CountAsync(e => e.ResourceId == id && e.Type == EventTypes.PayIn)));
    }

    [Fact]
    public async Task ADeclinedTestCardRejectsThePurchase()
    {
        var (kit, id) = await GuidedAsync();
        using var browser = new FormClient(server.BaseAddress);
        await ChooseAsync(browser, id, "card");

        var (_, html) = await browser.SubmitAsync($"/payment/{id}/card", $"/payment/{id}/card", Card("4000000000000002"));

        Assert.Equal("payment_rejected", FormClient.DataStatus(html));
        var detail = await kit.DetailAsync(id);
        Assert.Equal("payment_rejected", detail.GetProperty("status").GetString());
        Assert.Equal("card_declined", detail.GetProperty("failure_reason").GetString());
        Assert.Equal(0, await server.QueryAsync(db => db.LedgerEntries.CountAsync(e => e.PaymentId == id)));
    }

    [Fact]
    public async Task TheChallengeCardAsksForTheCodeAndATamperedChallengeChangesNothing()
    {
        var (kit, id) = await GuidedAsync();
        using var browser = new FormClient(server.BaseAddress);
        await ChooseAsync(browser, id, "card");
        var (_, challenge) = await browser.SubmitAsync($"/payment/{id}/card", $"/payment/{id}/card", Card("4000000000003220"));
        var state = FormClient.HiddenValue(challenge, "state");
        Assert.NotNull(state);
        Assert.Equal("started", (await kit.DetailAsync(id)).GetProperty("status").GetString());

        await browser.SubmitAsync($"/payment/{id}/card", $"/payment/{id}/card/challenge", new() { ["state"] = state![..^4] + "AAAA", ["code"] = "123456", ["action"] = "confirm" }, challenge);
        Assert.Equal("started", (await kit.DetailAsync(id)).GetProperty("status").GetString());

        var (_, html) = await browser.SubmitAsync($"/payment/{id}/card", $"/payment/{id}/card/challenge", new() { ["state"] = state, ["code"] = "123456", ["action"] = "confirm" }, challenge);
        Assert.Equal("payment_received", FormClient.DataStatus(html));
    }

    [Fact]
    public async Task AChallengeStateFromAnotherPurchaseIsRefused()
    {
        var (kitA, idA) = await GuidedAsync();
        var (kitB, idB) = await GuidedAsync();
        using var browser = new FormClient(server.BaseAddress);
        await ChooseAsync(browser, idA, "card");
        await ChooseAsync(browser, idB, "card");
        var (_, challengeA) = await browser.SubmitAsync($"/payment/{idA}/card", $"/payment/{idA}/card", Card("4000000000003220"));

        await browser.SubmitAsync($"/payment/{idB}/card", $"/payment/{idB}/card/challenge",
            new() { ["state"] = FormClient.HiddenValue(challengeA, "state")!, ["code"] = "123456", ["action"] = "confirm" }, challengeA);

        Assert.Equal("started", (await kitB.DetailAsync(idB)).GetProperty("status").GetString());
        Assert.Equal("started", (await kitA.DetailAsync(idA)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Psd2ConsentPaysAndCancelRejects()
    {
        var (kit, paid) = await GuidedAsync();
        var (_, cancelled) = await GuidedAsync();
        using var browser = new FormClient(server.BaseAddress);
        await ChooseAsync(browser, paid, "psd2");
        await ChooseAsync(browser, cancelled, "psd2");

        var (_, unchosen) = await browser.SubmitAsync($"/payment/{paid}/psd2", $"/payment/{paid}/psd2", new() { ["bank"] = "Not a bank", ["action"] = "consent" });
        Assert.Null(FormClient.DataStatus(unchosen));
        var (_, ok) = await browser.SubmitAsync($"/payment/{paid}/psd2", $"/payment/{paid}/psd2", new() { ["bank"] = "Banco Sandbox", ["action"] = "consent" });
        var (_, no) = await browser.SubmitAsync($"/payment/{cancelled}/psd2", $"/payment/{cancelled}/psd2", new() { ["bank"] = "", ["action"] = "cancel" });

        Assert.Equal("payment_received", FormClient.DataStatus(ok));
        Assert.Equal("payment_rejected", FormClient.DataStatus(no));
        Assert.Equal("Banco Sandbox", (await kit.DetailAsync(paid)).GetProperty("holder").GetProperty("bank").GetString());
    }

    [Fact]
    public async Task TransferIHaveSentItMovesToPendingBankWithTheConceptShown()
    {
        var (kit, id) = await GuidedAsync(250m);
        using var browser = new FormClient(server.BaseAddress);
        await ChooseAsync(browser, id, "transfer");
        var concept = await server.QueryAsync(db => db.Payments.Where(p => p.Id == id).Select(p => p.Concept).SingleAsync());

        var (_, page) = await browser.GetAsync($"/payment/{id}/transfer");
        var (_, html) = await browser.SubmitAsync($"/payment/{id}/transfer", $"/payment/{id}/transfer", new(), page);

        Assert.Contains(concept.ToString(System.Globalization.CultureInfo.InvariantCulture), page, StringComparison.Ordinal);
        Assert.Contains("250.00 EUR", page, StringComparison.Ordinal);
        Assert.Equal("pending_bank", FormClient.DataStatus(html));
        Assert.Equal("transfer", (await kit.DetailAsync(id)).GetProperty("payment_type").GetString());
    }

    [Fact]
    public async Task ChoosingTransferOnTheGatewayRepricesWithTheLockedRate()
    {
        var (kit, id) = await GuidedAsync(100m);
        using var browser = new FormClient(server.BaseAddress);

        await ChooseAsync(browser, id, "transfer");

        // Transfer: 0.5 % = 0.50 + 0.10 network → (100 − 0.60) / 0.92 = 108.043478 (rounded down).
        Assert.Equal(108.043478m, (await kit.DetailAsync(id)).GetProperty("coin_amount").GetDecimal());
    }

    [Fact]
    public async Task ABadWalletOrMissingAntiforgeryTokenChangesNothing()
    {
        var (kit, id) = await GuidedAsync();
        using var browser = new FormClient(server.BaseAddress);

        var (bad, html) = await browser.SubmitAsync($"/payment/{id}", $"/payment/{id}", new() { ["wallet"] = "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed", ["method"] = "card" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);

        using var forged = new HttpClient { BaseAddress = server.BaseAddress };
        await forged.PostAsync($"/payment/{id}", new FormUrlEncodedContent(new Dictionary<string, string> { ["wallet"] = PurchaseKit.Wallet, ["method"] = "card" }));

        var detail = await kit.DetailAsync(id);
        Assert.False(detail.TryGetProperty("wallet", out _));
        Assert.Equal("started", detail.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReplayingThePaymentFormAfterPayingChangesNothing()
    {
        var (kit, id) = await GuidedAsync();
        using var browser = new FormClient(server.BaseAddress);
        await ChooseAsync(browser, id, "card");
        var (_, cardPage) = await browser.GetAsync($"/payment/{id}/card");
        await browser.SubmitAsync($"/payment/{id}/card", $"/payment/{id}/card", Card("4242424242424242"), cardPage);
        var entries = await server.QueryAsync(db => db.LedgerEntries.CountAsync(e => e.PaymentId == id));

        var (_, html) = await browser.SubmitAsync($"/payment/{id}/card", $"/payment/{id}/card", Card("4000000000000002"), cardPage);

        Assert.Equal("payment_received", FormClient.DataStatus(html));
        Assert.Equal(entries, await server.QueryAsync(db => db.LedgerEntries.CountAsync(e => e.PaymentId == id)));
        Assert.Equal(1, await server.QueryAsync(db => db.OutboxEvents.CountAsync(e => e.ResourceId == id && e.Type == EventTypes.PayIn)));
    }

    [Fact]
    public async Task TheCardUrlFromCreatePaymentOpensTheCardPageOfThatPurchaseOnly()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var json = await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(await kit.ApprovedCustomerAsync()));
        var url = new Uri(json.GetProperty("data").GetProperty("url_payment").GetString()!);
        var id = json.GetProperty("data").GetProperty("payment_id").GetString();
        using var browser = new FormClient(server.BaseAddress);

        var (response, _) = await browser.GetAsync(url.PathAndQuery);
        var (wrongMethod, _) = await browser.GetAsync(url.PathAndQuery.Replace("/card?", "/psd2?", StringComparison.Ordinal));
        var (unknown, _) = await browser.GetAsync("/gateway/card?token=" + Guid.NewGuid());

        Assert.Equal($"/payment/{id}/card", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task PaymentReceivedPostsBalancedLedgerEntries()
    {
        var (kit, id) = await GuidedAsync(100m);
        using var browser = new FormClient(server.BaseAddress);
        await ChooseAsync(browser, id, "card");
        await browser.SubmitAsync($"/payment/{id}/card", $"/payment/{id}/card", Card("4242424242424242"));

        var entries = await server.QueryAsync(db => db.LedgerEntries.Where(e => e.PaymentId == id).ToListAsync());

        Assert.All(entries.GroupBy(e => e.Asset), g => Assert.Equal(0m, g.Sum(e => e.Amount)));
        Assert.Equal(100m, entries.Single(e => e.Account == LedgerAccounts.FiatReceivable("card")).Amount);
        Assert.Equal(-2.75m, entries.Single(e => e.Account == LedgerAccounts.ProcessingFeeRevenue).Amount);
        Assert.Equal(-105.597826m, entries.Single(e => e.Account == LedgerAccounts.CryptoOwedToCustomers).Amount);
        Assert.Equal("USDC", entries.Single(e => e.Account == LedgerAccounts.CryptoOwedToCustomers).Asset);
    }

    [Fact]
    public async Task AnUnknownPaymentPageIs404AndPagesAnswerInSpanish()
    {
        var (_, id) = await GuidedAsync();
        using var browser = new FormClient(server.BaseAddress);

        var (missing, _) = await browser.GetAsync("/payment/" + new string('Z', 25));
        var (_, spanish) = await browser.GetAsync($"/payment/{id}?lang=es");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Revisa tu compra", spanish, StringComparison.Ordinal);
        Assert.Contains("lang=\"es\"", spanish, StringComparison.Ordinal);
    }
}
