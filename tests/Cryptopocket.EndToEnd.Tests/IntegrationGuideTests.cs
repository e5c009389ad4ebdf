using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cryptopocket.EndToEnd.Tests.Infrastructure;

namespace Cryptopocket.EndToEnd.Tests;

/// <summary>
/// The integration guide's steps 0–3 (Buy Flow, shared/api §9) as a new partner does them: plain HTTP and JSON, with
/// the credentials <c>serve</c> printed on its first start.
/// </summary>
public sealed class IntegrationGuideTests(SandboxServerFixture sandbox) : IClassFixture<SandboxServerFixture>
{
    [Fact]
    public async Task ANewPartnerFollowsStepsZeroToThreeWithThePrintedCredentials()
    {
        var (apiKey, apiSecret) = sandbox.Server.PrintedCredentials
            ?? throw new Xunit.Sdk.XunitException($"serve printed no sandbox credentials.\n{sandbox.Server.Output}");
        using var http = sandbox.CreateHttpClient();

        // Step 0: authenticate, then send the token in the `auth` header on every call.
        using var authenticate = await http.PostAsJsonAsync("/api/authenticate", new { api_key = apiKey, api_secret = apiSecret });
        var auth = await authenticate.ReadJsonAsync();
        Assert.True(auth.Text("status") == "ok", auth.ToString());
        var token = auth.GetProperty("data").Text("token")!;
        Assert.Matches("^[a-z0-9]{50}$", token);
        Assert.True(auth.GetProperty("data").GetProperty("expires_in").GetInt32() > 0, auth.ToString());
        http.DefaultRequestHeaders.Add("auth", token);

        // Step 1: a quote; the chain defaults to polygon.
        using var quoteResponse = await http.GetAsync("/api/quote?amount=100&symbol=USDC&payment_type=card");
        var quoteAnswer = await quoteResponse.ReadJsonAsync();
        Assert.True(quoteAnswer.Text("status") == "ok", quoteAnswer.ToString());
        var quote = quoteAnswer.GetProperty("data");
        Assert.Equal("polygon", quote.Text("chain"));
        Assert.Equal("USDC", quote.Text("coin_symbol"));
        Assert.Equal("card", quote.Text("payment_type"));
        Assert.Equal("EUR", quote.Text("fiat_symbol"));
        Assert.Equal("100.00", quote.Text("fiat_amount"));
        var rate = Number(quote.Text("rate"));
        var totalFees = Number(quote.GetProperty("fees").Text("total"));
        var coins = Number(quote.Text("coin_amount"));
        Assert.True(rate > 0 && totalFees > 0 && coins > 0, quote.ToString());
        Assert.Equal(decimal.Round((100m - totalFees) / rate, 6, MidpointRounding.ToZero), coins);
        Assert.True(quote.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow, quote.ToString());

        // Step 2: register the customer; send them to kyc_form_url.
        var body = TestCustomers.SpanishBody();
        using var registerResponse = await http.PostAsJsonAsync("/api/registerUser", body);
        var registered = await registerResponse.ReadJsonAsync();
        Assert.True(registered.Text("status") == "ok", registered.ToString());
        var customer = registered.GetProperty("data");
        var userId = customer.GetProperty("id").GetInt64();
        Assert.True(userId > 0);
        Assert.Equal((string?)body["email"], customer.Text("email"));
        Assert.False(customer.GetProperty("kyc_valid").GetBoolean());
        var formUrl = customer.Text("kyc_form_url")!;
        Assert.Matches("^" + Regex.Escape(sandbox.BaseAddress.ToString().TrimEnd('/')) + "/kyc/[a-z0-9]{20,64}$", formUrl);
        using (var form = await http.GetAsync(formUrl))
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            Assert.Equal("text/html", form.Content.Headers.ContentType?.MediaType);
        }

        // Step 3: check KYC: a customer who has not opened the form yet is `unused`, meaning "wait".
        using var checkResponse = await http.GetAsync($"/api/kyc/check?user_id={userId.ToString(CultureInfo.InvariantCulture)}");
        var check = await checkResponse.ReadJsonAsync();
        Assert.True(check.Text("status") == "ok", check.ToString());
        Assert.Equal("unused", check.Text("kyc_status"));
        Assert.Equal("unused", check.GetProperty("data").Text("kyc_status"));
        Assert.Equal(userId, check.GetProperty("data").GetProperty("user_id").GetInt64());
        Assert.Equal(formUrl, check.GetProperty("data").Text("kyc_form_url"));
    }

    [Fact]
    public async Task WithoutTheAuthHeaderStepsOneToThreeAnswerAuthorizationIncorrect()
    {
        using var http = sandbox.CreateHttpClient();
        http.DefaultRequestHeaders.Add("Authorization", "Bearer not-the-documented-header");

        using var quote = await http.GetAsync("/api/quote?amount=100&symbol=USDC&payment_type=card");
        using var register = await http.PostAsJsonAsync("/api/registerUser", TestCustomers.SpanishBody());
        using var check = await http.GetAsync("/api/kyc/check?user_id=1");

        foreach (var response in new[] { quote, register, check })
        {
            var answer = await response.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("error", answer.Text("status"));
            Assert.Equal("authorization_incorrect", answer.Text("error"));
        }
    }

    private static decimal Number(string? text)
    {
        Assert.NotNull(text);
        Assert.Matches(@"^[0-9]+\.[0-9]+$", text);
        return decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }
}
