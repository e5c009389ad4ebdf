using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cryptopocket.EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cryptopocket.EndToEnd.Tests;

/// <summary>
/// Purchases on the hosted payment gateway in Chromium on a phone-sized screen: a guided purchase from
/// <c>gateway_url</c> to the partner's <c>callback_url</c>, the sandbox cards, PSD2 and SEPA transfers, and the
/// operator's side of transfers (<c>cryptopocket bank import</c>, <c>payments receive</c>) against the running server.
/// </summary>
public sealed class GatewayPurchaseTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    /// <summary>The EIP-55 specification's own example address, correctly checksummed.</summary>
    private const string Wallet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    /// <summary>The same address with its checksum broken (one letter's case changed).</summary>
    private const string BadChecksumWallet = "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    private static readonly Regex StatusPage = new(@"/payment/[A-Za-z0-9]{25}/status(\?|$)", RegexOptions.Compiled);

    private KycPageFixture Sandbox => fixture.Sandbox;

    [Fact]
    public async Task AGuidedCardPurchaseIsPaidOnAPhoneAndTheCustomerReturnsToThePartner()
    {
        // The partner's return page already carries a query of its own; the outcome must be appended to it.
        var callbackUrl = new Uri(Sandbox.Callback.BaseAddress, "purchase/done?order=e2e-42").ToString();
        var created = await fixture.CreateGuidedPaymentAsync(100m, callbackUrl);
        var paymentId = created.Text("payment_id")!;
        var gatewayUrl = created.Text("gateway_url")!;
        Assert.Equal($"{Sandbox.BaseAddress.ToString().TrimEnd('/')}/payment/{paymentId}", gatewayUrl);
        var before = await fixture.GetPaymentAsync(paymentId);
        Assert.Equal("started", before.Text("status"));
        Assert.Equal(10_000, before.GetProperty("fiat_amount").GetInt64());
        Assert.False(before.TryGetProperty("wallet", out _), before.ToString());
        await using var context = await Sandbox.NewPhoneContextAsync();
        var page = await context.NewPageAsync();

        var opened = await page.GotoAsync(gatewayUrl);

        Assert.Equal(200, opened!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Review your purchase");
        await Expect(page.Locator("#fiat-amount")).ToHaveTextAsync("100.00 EUR");
        await page.Locator("#wallet").PressSequentiallyAsync(Wallet);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Card", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await page.WaitForPageAsync(new Regex($"/payment/{paymentId}/card(\\?|$)"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pay by card");
        await Expect(page.Locator("#fiat-amount")).ToHaveTextAsync("100.00 EUR");
        await Expect(page.Locator("td#wallet")).ToHaveTextAsync(Wallet);
        await FillCardAsync(page, "4242 4242 4242 4242", "Lucía García");
        await SaveScreenshotAsync(page, "gateway-card-filled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay 100.00 EUR" }).ClickAsync();

        await page.WaitForPageAsync(StatusPage);
        await Expect(page.Locator("#payment-status")).ToHaveAttributeAsync("data-status", "payment_received");
        var paid = await fixture.GetPaymentAsync(paymentId);
        Assert.Equal("payment_received", paid.Text("status"));
        Assert.Equal("card", paid.Text("payment_type"));
        Assert.Equal(Wallet, paid.Text("wallet"));
        Assert.Equal(10_000, paid.GetProperty("fiat_amount").GetInt64());
        var holder = paid.GetProperty("holder");
        Assert.Equal("4242", holder.Text("card_last4"));
        Assert.Equal("card", holder.Text("method"));
        Assert.Equal("LUCÍA GARCÍA", holder.Text("name"));

        // Meta refresh after a few seconds: back at the partner, outcome in the query, their own query kept.
        await page.WaitForPageAsync(url => url.StartsWith(callbackUrl.Split('?')[0], StringComparison.Ordinal), $"{callbackUrl}…", timeout: 10_000);
        await Expect(page.Locator("#partner")).ToHaveTextAsync(CallbackReceiver.PageHeading);
        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.True(query.TryGetValue("payment_id", out var returnedId) && returnedId == paymentId, $"Expected payment_id={paymentId} in {page.Url}");
        Assert.True(query.TryGetValue("status", out var returnedStatus) && returnedStatus == "payment_received",
            $"Expected status=payment_received in {page.Url}");
        Assert.True(query.TryGetValue("order", out var order) && order == "e2e-42", $"The partner's own query was lost: {page.Url}");
        Assert.Contains(Sandbox.Callback.Received, url => url.AbsoluteUri == page.Url);
    }

    [Fact]
    public async Task TheDeclinedTestCardRejectsThePurchase()
    {
        var (paymentId, page, context) = await OpenCardPageAsync(20m);
        await using var _ = context;

        await FillCardAsync(page, "4000 0000 0000 0002", "Lucía García");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay 20.00 EUR" }).ClickAsync();

        await page.WaitForPageAsync(StatusPage);
        await Expect(page.Locator("#payment-status")).ToHaveAttributeAsync("data-status", "payment_rejected");
        await Expect(page.Locator("#payment-status")).ToHaveTextAsync("The payment was not completed.");
        var detail = await fixture.GetPaymentAsync(paymentId);
        Assert.Equal("payment_rejected", detail.Text("status"));
        Assert.Equal("card_declined", detail.Text("failure_reason"));
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("holder").ValueKind);
    }

    [Fact]
    public async Task TheChallengeCardAsksForACodeAndOnlyTheRightCodePays()
    {
        var (rightId, right, rightContext) = await OpenCardPageAsync(21m);
        await using var _ = rightContext;
        var (wrongId, wrong, wrongContext) = await OpenCardPageAsync(22m);
        await using var __ = wrongContext;

        foreach (var (page, amount) in new[] { (right, "21.00"), (wrong, "22.00") })
        {
            await FillCardAsync(page, "4000 0000 0000 3220", "Lucía García");
            await page.GetByRole(AriaRole.Button, new() { Name = $"Pay {amount} EUR" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Confirm with your bank");
            await Expect(page.Locator("#code")).ToBeVisibleAsync();
        }
        // Nothing is decided until the code is answered.
        Assert.Equal("started", (await fixture.GetPaymentAsync(rightId)).Text("status"));

        await right.Locator("#code").FillAsync("123456");
        await right.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await wrong.Locator("#code").FillAsync("654321");
        await wrong.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        await right.WaitForPageAsync(StatusPage);
        await Expect(right.Locator("#payment-status")).ToHaveAttributeAsync("data-status", "payment_received");
        var paid = await fixture.GetPaymentAsync(rightId);
        Assert.Equal("payment_received", paid.Text("status"));
        Assert.Equal("3220", paid.GetProperty("holder").Text("card_last4"));

        await wrong.WaitForPageAsync(StatusPage);
        await Expect(wrong.Locator("#payment-status")).ToHaveAttributeAsync("data-status", "payment_rejected");
        var rejected = await fixture.GetPaymentAsync(wrongId);
        Assert.Equal("payment_rejected", rejected.Text("status"));
        Assert.Equal("card_challenge_failed", rejected.Text("failure_reason"));
    }

    [Fact]
    public async Task APsd2PurchaseIsPaidWhenAuthorisedAndRejectedWhenCancelled()
    {
        // Authorise: a guided purchase where the customer picks PSD2 on the gateway.
        var guided = await fixture.CreateGuidedPaymentAsync(30m);
        var authorisedId = guided.Text("payment_id")!;
        await using var context = await Sandbox.NewPhoneContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(guided.Text("gateway_url")!);
        await page.Locator("#wallet").FillAsync(Wallet);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Pay from your bank (PSD2)" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForPageAsync(new Regex($"/payment/{authorisedId}/psd2(\\?|$)"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pay from your bank");

        await page.Locator("#bank").SelectOptionAsync("Caja Demo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Authorise payment" }).ClickAsync();

        await page.WaitForPageAsync(StatusPage);
        await Expect(page.Locator("#payment-status")).ToHaveAttributeAsync("data-status", "payment_received");
        var paid = await fixture.GetPaymentAsync(authorisedId);
        Assert.Equal("payment_received", paid.Text("status"));
        Assert.Equal("psd2", paid.Text("payment_type"));
        Assert.Equal("psd2", paid.GetProperty("holder").Text("method"));
        Assert.Equal("Caja Demo", paid.GetProperty("holder").Text("bank"));

        // Cancel: a psd2 purchase created with createPayment, opened through its url_payment.
        var direct = await fixture.CreatePaymentAsync("psd2", 31m, Wallet);
        var cancelledId = direct.Text("payment_id")!;
        var cancelling = await context.NewPageAsync();
        await cancelling.GotoAsync(direct.Text("url_payment")!);
        await cancelling.WaitForPageAsync(new Regex($"/payment/{cancelledId}/psd2(\\?|$)"));

        await cancelling.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await cancelling.WaitForPageAsync(StatusPage);
        await Expect(cancelling.Locator("#payment-status")).ToHaveAttributeAsync("data-status", "payment_rejected");
        var cancelled = await fixture.GetPaymentAsync(cancelledId);
        Assert.Equal("payment_rejected", cancelled.Text("status"));
        Assert.Equal("psd2_cancelled", cancelled.Text("failure_reason"));
    }

    [Fact]
    public async Task ATransferIsPaidByImportingABankStatementOnceAndAWrongAmountIsKeptForReview()
    {
        var created = await fixture.CreatePaymentAsync("transfer", 75.50m, Wallet);
        var paymentId = created.Text("payment_id")!;
        var concept = created.GetProperty("concept").GetInt64().ToString(CultureInfo.InvariantCulture);
        await using var context = await Sandbox.NewPhoneContextAsync();
        var page = await context.NewPageAsync();

        var opened = await page.GotoAsync(new Uri(Sandbox.BaseAddress, $"/payment/{paymentId}/transfer").ToString());

        Assert.Equal(200, opened!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Send a bank transfer");
        await Expect(page.Locator("#transfer-amount")).ToHaveTextAsync("75.50 EUR");
        var shownConcept = (await page.Locator("#transfer-concept").InnerTextAsync()).Trim();
        var shownIban = (await page.Locator("#transfer-iban").InnerTextAsync()).Trim();
        Assert.Equal(concept, shownConcept);
        Assert.Equal(created.Text("iban"), shownIban);
        await page.GetByRole(AriaRole.Button, new() { Name = "I have sent the transfer" }).ClickAsync();
        await page.WaitForPageAsync(StatusPage);
        await Expect(page.Locator("#payment-status")).ToHaveAttributeAsync("data-status", "pending_bank");
        Assert.Equal("pending_bank", (await fixture.GetPaymentAsync(paymentId)).Text("status"));

        // The bank statement: one booked credit of exactly the amount, the concept in the remittance text.
        var reference = $"E2E-{Guid.NewGuid():N}";
        var statement = await WriteStatementAsync(shownIban, new Camt053.Credit(75.50m, $"Compra cripto {shownConcept}", reference));
        var import = (await Sandbox.RunAsync("bank", "import", statement, "--json")).Json();

        Assert.Equal(1, import.GetProperty("lines").GetInt32());
        Assert.Equal(1, import.GetProperty("matched").GetInt32());
        Assert.Equal(0, import.GetProperty("unmatched").GetInt32());
        Assert.Equal(0, import.GetProperty("mismatched").GetInt32());
        Assert.Equal(0, import.GetProperty("already_imported").GetInt32());
        var paid = await fixture.GetPaymentAsync(paymentId);
        Assert.Equal("payment_received", paid.Text("status"));
        Assert.Equal("transfer", paid.GetProperty("holder").Text("method"));
        Assert.Equal(reference, paid.GetProperty("holder").Text("bank_reference"));
        // The customer's status page, still open, now says so too.
        await page.ReloadAsync();
        await Expect(page.Locator("#payment-status")).ToHaveAttributeAsync("data-status", "payment_received");

        // The same statement again: recognised line by line, nothing changes.
        var again = (await Sandbox.RunAsync("bank", "import", statement, "--json")).Json();
        Assert.Equal(1, again.GetProperty("already_imported").GetInt32());
        Assert.Equal(0, again.GetProperty("matched").GetInt32());
        Assert.Equal(0, again.GetProperty("mismatched").GetInt32());
        var unchanged = await fixture.GetPaymentAsync(paymentId);
        Assert.Equal("payment_received", unchanged.Text("status"));
        Assert.Equal(paid.Text("updated_at"), unchanged.Text("updated_at"));
        var matchedLines = (await Sandbox.RunAsync("bank", "transactions", "--status", "matched", "--json")).Json();
        var matchedLine = Assert.Single(matchedLines.EnumerateArray(), line => line.Text("entry_reference") == reference);
        Assert.Equal(paymentId, matchedLine.Text("payment_id"));

        // A second purchase paid with a cent too little: kept for an operator, the purchase does not move.
        var short_ = await fixture.CreatePaymentAsync("transfer", 75.50m, Wallet);
        var shortId = short_.Text("payment_id")!;
        var shortConcept = short_.GetProperty("concept").GetInt64().ToString(CultureInfo.InvariantCulture);
        var shortReference = $"E2E-{Guid.NewGuid():N}";
        var wrongAmount = await WriteStatementAsync(shownIban, new Camt053.Credit(75.49m, $"Compra cripto {shortConcept}", shortReference));

        var mismatched = (await Sandbox.RunAsync("bank", "import", wrongAmount, "--json")).Json();

        Assert.Equal(0, mismatched.GetProperty("matched").GetInt32());
        Assert.Equal(1, mismatched.GetProperty("mismatched").GetInt32());
        var stillOpen = await fixture.GetPaymentAsync(shortId);
        Assert.Equal("started", stillOpen.Text("status"));
        Assert.Equal(JsonValueKind.Null, stillOpen.GetProperty("holder").ValueKind);
        var review = (await Sandbox.RunAsync("bank", "transactions", "--status", "mismatched", "--json")).Json();
        var line = Assert.Single(review.EnumerateArray(), l => l.Text("entry_reference") == shortReference);
        Assert.Equal("mismatched", line.Text("status"));
        Assert.Equal(75.49m, line.GetProperty("amount").GetDecimal());
        Assert.Contains(shortConcept, line.Text("remittance_information"), StringComparison.Ordinal);
        Assert.Contains(shortId, line.Text("note") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOperatorRecordsATransferByHandButNotACardPurchase()
    {
        var transfer = await fixture.CreatePaymentAsync("transfer", 40m, Wallet);
        var transferId = transfer.Text("payment_id")!;
        var card = await fixture.CreatePaymentAsync("card", 41m, Wallet);
        var cardId = card.Text("payment_id")!;

        var received = (await Sandbox.RunAsync("payments", "receive", "--payment-id", transferId, "--json")).Json();
        var refused = await Sandbox.RunAsync("payments", "receive", "--payment-id", cardId, "--json");

        Assert.Equal(transferId, received.Text("payment_id"));
        Assert.Equal("payment_received", received.Text("status"));
        var paid = await fixture.GetPaymentAsync(transferId);
        Assert.Equal("payment_received", paid.Text("status"));
        Assert.Equal("operator", paid.GetProperty("holder").Text("source"));

        Assert.True(refused.ExitCode == 1, $"Expected exit code 1.\n{refused}");
        Assert.True(refused.Stdout.Trim().Length == 0, $"Expected nothing on stdout.\n{refused}");
        Assert.Contains(cardId, refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("card", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("started", (await fixture.GetPaymentAsync(cardId)).Text("status"));
    }

    [Fact]
    public async Task TheGatewaySpeaksSpanishShowsTheTestCardsAndAnswersNotFoundForAnUnknownPurchase()
    {
        var created = await fixture.CreateGuidedPaymentAsync(25m);
        var paymentId = created.Text("payment_id")!;
        await using var context = await Sandbox.NewPhoneContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(created.Text("gateway_url") + "?lang=es");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Revisa tu compra");
        await Expect(page.Locator("#fiat-amount")).ToHaveTextAsync("25.00 EUR");
        await page.Locator("#wallet").FillAsync(Wallet);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Tarjeta", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuar" }).ClickAsync();
        await page.WaitForPageAsync(new Regex($"/payment/{paymentId}/card\\?lang=es$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pago con tarjeta");
        var hint = page.Locator("form p.hint");
        await Expect(hint).ToBeVisibleAsync();
        await Expect(hint).ToContainTextAsync("4242 4242 4242 4242");
        await Expect(hint).ToContainTextAsync("123456");

        var unknownId = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 25);
        var missing = await page.GotoAsync(new Uri(Sandbox.BaseAddress, $"/payment/{unknownId}").ToString());
        Assert.Equal(404, missing!.Status);
        await Expect(page.Locator("#payment-status")).ToHaveAttributeAsync("data-status", "not_found");
        using var http = Sandbox.CreateHttpClient();
        using var status = await http.GetAsync($"/payment/{unknownId}/status");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task AWalletWithABadChecksumIsRefusedOnThePageAndNotSaved()
    {
        var created = await fixture.CreateGuidedPaymentAsync(26m);
        var paymentId = created.Text("payment_id")!;
        await using var context = await Sandbox.NewPhoneContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(created.Text("gateway_url")!);

        await page.Locator("#wallet").PressSequentiallyAsync(BadChecksumWallet);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Card", Exact = true }).CheckAsync();
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(422, response.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Enter a valid address: 0x followed by 40 hexadecimal characters.");
        Assert.DoesNotMatch(new Regex("/card(\\?|$)"), page.Url);
        var detail = await fixture.GetPaymentAsync(paymentId);
        Assert.False(detail.TryGetProperty("wallet", out var wallet), $"Expected no wallet, got {wallet}");
        Assert.Equal("started", detail.Text("status"));
    }

    /// <summary>A card purchase created with createPayment, opened through its url_payment: the card form directly.</summary>
    private async Task<(string PaymentId, IPage Page, IBrowserContext Context)> OpenCardPageAsync(decimal amount)
    {
        var created = await fixture.CreatePaymentAsync("card", amount, Wallet);
        var paymentId = created.Text("payment_id")!;
        var context = await Sandbox.NewPhoneContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(created.Text("url_payment")!);
        await page.WaitForPageAsync(new Regex($"/payment/{paymentId}/card(\\?|$)"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pay by card");
        return (paymentId, page, context);
    }

    private static async Task FillCardAsync(IPage page, string number, string holder)
    {
        await page.Locator("#number").PressSequentiallyAsync(number);
        await page.Locator("#expiry").PressSequentiallyAsync("12/34");
        await page.Locator("#cvc").PressSequentiallyAsync("123");
        await page.Locator("#holder").PressSequentiallyAsync(holder);
    }

    /// <summary>A camt.053 file in the sandbox's data dir, as an operator would download it from the bank.</summary>
    private async Task<string> WriteStatementAsync(string accountIban, params Camt053.Credit[] credits)
    {
        var path = Path.Combine(Sandbox.DataDir, $"statement-{Guid.NewGuid():N}.xml");
        await using var xml = Camt053.Statement(accountIban, credits);
        await File.WriteAllBytesAsync(path, xml.ToArray());
        return path;
    }

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(KycPageFixture.OutputFolder);
        var provider = SandboxServerFixture.IsPostgres ? "postgres" : "sqlite";
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(KycPageFixture.OutputFolder, $"{name}-{provider}.png"),
            FullPage = true,
        });
    }
}
