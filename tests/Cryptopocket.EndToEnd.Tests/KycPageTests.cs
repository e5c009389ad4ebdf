using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Cryptopocket.EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cryptopocket.EndToEnd.Tests;

/// <summary>
/// The hosted KYC page in Chromium on a phone-sized screen, from the partner's kyc_form_url to the partner's
/// callback_url, with the sandbox provider's rules (docs: last name "Reject" is rejected, anyone else approved).
/// </summary>
public sealed class KycPageTests(KycPageFixture fixture) : IClassFixture<KycPageFixture>
{
    private static readonly Regex StatusPage = new(@"/kyc/[a-z0-9]+/status(\?|$)", RegexOptions.Compiled);

    [Fact]
    public async Task ACustomerUploadsTheirDocumentsOnAPhoneIsVerifiedAndReturnsToThePartner()
    {
        var (userId, formUrl, callbackUrl) = await RegisterAsync(lastName: null);
        await using var context = await fixture.NewPhoneContextAsync();
        var page = await context.NewPageAsync();

        var opened = await page.GotoAsync(formUrl);

        Assert.Equal(200, opened!.Status);
        await Expect(page.Locator("#customer-name")).ToHaveTextAsync("Lucía García Pérez");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Identity verification");
        await FillFormAsync(page);
        await SaveScreenshotAsync(page, "kyc-form-filled");

        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForPageAsync(StatusPage);

        await Expect(page.Locator("#kyc-status")).ToHaveAttributeAsync("data-status", "valid");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Identity verified");
        var refresh = await page.Locator("meta[http-equiv=refresh]").GetAttributeAsync("content");
        Assert.StartsWith("3;url=" + callbackUrl, refresh, StringComparison.Ordinal);
        var check = await SandboxServerFixture.CheckKycAsync(fixture.Partner, userId);
        Assert.Equal("valid", check.Text("kyc_status"));
        await AssertReturnedToPartnerAsync(page, callbackUrl, userId, "valid");
    }

    [Fact]
    public async Task ACustomerTheSandboxRejectsEndsWithKycStatusFail()
    {
        var (userId, formUrl, callbackUrl) = await RegisterAsync(lastName: "Reject");
        await using var context = await fixture.NewPhoneContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(formUrl);
        await Expect(page.Locator("#customer-name")).ToContainTextAsync("Reject");
        await FillFormAsync(page);

        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForPageAsync(StatusPage);

        await Expect(page.Locator("#kyc-status")).ToHaveAttributeAsync("data-status", "fail");
        await Expect(page.Locator("h1")).ToHaveTextAsync("We could not verify your identity");
        var check = await SandboxServerFixture.CheckKycAsync(fixture.Partner, userId);
        Assert.Equal("fail", check.Text("kyc_status"));
        Assert.False(string.IsNullOrEmpty(check.GetProperty("data").Text("reason")), check.ToString());
        await AssertReturnedToPartnerAsync(page, callbackUrl, userId, "fail");
    }

    [Fact]
    public async Task TheFormSpeaksSpanishWhenAskedOrWhenTheBrowserPrefersIt()
    {
        var (_, formUrl, _) = await RegisterAsync(lastName: null);
        await using var english = await fixture.NewPhoneContextAsync("en-GB");
        await using var spanish = await fixture.NewPhoneContextAsync("es-ES");
        var asked = await english.NewPageAsync();
        var preferred = await spanish.NewPageAsync();

        await asked.GotoAsync(formUrl + "?lang=es");
        await preferred.GotoAsync(formUrl);

        foreach (var page in new[] { asked, preferred })
        {
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Verificación de identidad");
            await Expect(page.Locator("button[type=submit]")).ToHaveTextAsync("Enviar a verificación");
            await Expect(page.Locator("label[for=selfie]")).ToHaveTextAsync("Selfie sujetando tu documento");
        }
        // And the language link takes a Spanish reader back to English.
        await asked.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(asked.Locator("h1")).ToHaveTextAsync("Identity verification");
    }

    [Fact]
    public async Task SubmittingWithoutFilesShowsAnErrorForEachAndLeavesTheStatusUnused()
    {
        var (userId, formUrl, _) = await RegisterAsync(lastName: null);
        await using var context = await fixture.NewPhoneContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(formUrl);
        // The browser itself blocks an empty form (`required`); a customer with an old browser, or a script, does not.
        await page.EvaluateAsync("() => document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))");

        var response = await page.RunAndWaitForResponseAsync(
            () => page.Locator("button[type=submit]").ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(422, response.Status);
        await Expect(page.Locator("p.error")).ToHaveCountAsync(4);
        Assert.DoesNotMatch(StatusPage, page.Url);
        await Expect(page.Locator("p.error").First).ToHaveTextAsync("This file is required.");
        await Expect(page.Locator("p.error").Last).ToHaveTextAsync("Please confirm your details.");
        Assert.Equal("unused", (await SandboxServerFixture.CheckKycAsync(fixture.Partner, userId)).Text("kyc_status"));
    }

    [Fact]
    public async Task AFileThatIsNotAnImageIsRefusedWhateverItIsCalled()
    {
        var (userId, formUrl, _) = await RegisterAsync(lastName: null);
        await using var context = await fixture.NewPhoneContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(formUrl);
        await FillFormAsync(page);
        await page.Locator("#selfie").SetInputFilesAsync(new FilePayload
        {
            Name = "selfie.png",
            MimeType = "image/png",
            Buffer = "MZ this is not a picture"u8.ToArray(),
        });

        var response = await page.RunAndWaitForResponseAsync(
            () => page.Locator("button[type=submit]").ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(422, response.Status);
        await Expect(page.Locator("p.error")).ToHaveCountAsync(1);
        await Expect(page.Locator("p.error")).ToHaveTextAsync("The file must be a JPEG, PNG or PDF image.");
        Assert.Equal("unused", (await SandboxServerFixture.CheckKycAsync(fixture.Partner, userId)).Text("kyc_status"));
    }

    [Fact]
    public async Task AnUnknownTokenAnswersNotFound()
    {
        var token = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 50);
        await using var context = await fixture.NewPhoneContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(fixture.BaseAddress, "/kyc/" + token).ToString());

        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("#kyc-status")).ToHaveAttributeAsync("data-status", "not_found");
        await Expect(page.Locator("h1")).ToHaveTextAsync("This verification link is no longer valid.");
        using var http = fixture.CreateHttpClient();
        using var status = await http.GetAsync($"/kyc/{token}/status");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    private async Task<(long UserId, string FormUrl, string CallbackUrl)> RegisterAsync(string? lastName)
    {
        var callbackUrl = new Uri(fixture.Callback.BaseAddress, "done").ToString();
        var body = TestCustomers.SpanishBody(lastName: lastName, callbackUrl: callbackUrl);
        var customer = await SandboxServerFixture.RegisterCustomerAsync(fixture.Partner, body);
        return (customer.GetProperty("id").GetInt64(), customer.Text("kyc_form_url")!, callbackUrl);
    }

    /// <summary>Three different small PNGs (front, back, selfie) and the confirmation box, as a customer would.</summary>
    private static async Task FillFormAsync(IPage page)
    {
        await page.Locator("#document_front").SetInputFilesAsync(Png("document-front.png", 40, 90, 200));
        await page.Locator("#document_back").SetInputFilesAsync(Png("document-back.png", 200, 120, 40));
        await page.Locator("#selfie").SetInputFilesAsync(Png("selfie.png", 230, 180, 160));
        await page.Locator("input[name=confirm]").CheckAsync();
    }

    private static FilePayload Png(string name, byte red, byte green, byte blue) =>
        new() { Name = name, MimeType = "image/png", Buffer = TestImages.Png(red, green, blue) };

    /// <summary>After 3 s the status page hands the customer back to callback_url, outcome in the query.</summary>
    private async Task AssertReturnedToPartnerAsync(IPage page, string callbackUrl, long userId, string kycStatus)
    {
        await page.WaitForPageAsync(url => url.StartsWith(callbackUrl, StringComparison.Ordinal), $"{callbackUrl}…", timeout: 10_000);
        await Expect(page.Locator("#partner")).ToHaveTextAsync(CallbackReceiver.PageHeading);
        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.True(query.TryGetValue("user_id", out var returnedUser) && returnedUser == userId.ToString(CultureInfo.InvariantCulture),
            $"Expected user_id={userId} in {page.Url}");
        Assert.True(query.TryGetValue("kyc_status", out var returnedStatus) && returnedStatus == kycStatus,
            $"Expected kyc_status={kycStatus} in {page.Url}");
        Assert.Contains(fixture.Callback.Received, url => url.AbsoluteUri == page.Url);
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
