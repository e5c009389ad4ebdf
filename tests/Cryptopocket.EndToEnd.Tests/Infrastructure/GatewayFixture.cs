using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The hosted payment gateway's sandbox: a <see cref="KycPageFixture"/> (server, partner client, Chromium, the
/// partner's return page) plus one customer registered through the API and KYC-approved by an operator with
/// <c>cryptopocket customers kyc --approve</c>, so that purchases can be created for them.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public KycPageFixture Sandbox { get; } = new();

    /// <summary>The KYC-approved customer every purchase of the class is for (small amounts: the card limit is per quarter).</summary>
    public long CustomerId { get; private set; }

    public HttpClient Partner => Sandbox.Partner;
    public Uri BaseAddress => Sandbox.BaseAddress;

    public async Task InitializeAsync()
    {
        await Sandbox.InitializeAsync();
        var customer = await SandboxServerFixture.RegisterCustomerAsync(Partner, TestCustomers.SpanishBody());
        CustomerId = customer.GetProperty("id").GetInt64();
        var decision = (await Sandbox.RunAsync("customers", "kyc", "--user-id", Invariant(CustomerId), "--approve", "--json")).Json();
        Assert.True(decision.Text("kyc_status") == "valid", decision.ToString());
        var check = await SandboxServerFixture.CheckKycAsync(Partner, CustomerId);
        Assert.True(check.Text("kyc_status") == "valid", check.ToString());
    }

    public Task DisposeAsync() => Sandbox.DisposeAsync();

    /// <summary>
    /// <c>POST /api/createGuidedPayment</c> as the guide's curl sends it: a JSON text body and the <c>auth</c> header.
    /// Returns the answer's <c>data</c> (payment_id, gateway_url, external_id) after checking the documented envelope.
    /// </summary>
    public async Task<JsonElement> CreateGuidedPaymentAsync(decimal fiatAmount, string? callbackUrl = null, string? externalId = null)
    {
        var body = new JsonObject
        {
            ["user_id"] = CustomerId,
            ["coin_symbol"] = "USDC",
            ["coin_chain"] = "polygon",
            ["fiat_amount"] = fiatAmount,
            ["fiat_symbol"] = "EUR",
            ["external_id"] = externalId ?? NewExternalId(),
        };
        if (callbackUrl is not null)
        {
            body["callback_url"] = callbackUrl;
        }
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Partner.PostAsync("/api/createGuidedPayment", content);
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "success" && answer.Text("message") == "guided_payment_created",
            $"createGuidedPayment failed: {answer}\n{Sandbox.Server.Output}");
        var data = answer.GetProperty("data");
        Assert.Equal((string?)body["external_id"], data.Text("external_id"));
        return data;
    }

    /// <summary>
    /// <c>POST /api/createPayment</c> with the wallet given. Returns the answer's <c>data</c>: url_payment and
    /// payment_id for card and psd2; payment_id, iban, bic, concept and destination_name for transfer.
    /// </summary>
    public async Task<JsonElement> CreatePaymentAsync(string paymentType, decimal fiatAmount, string wallet)
    {
        using var response = await Partner.PostAsJsonAsync("/api/createPayment", new JsonObject
        {
            ["user_id"] = CustomerId,
            ["external_id"] = NewExternalId(),
            ["payment_type"] = paymentType,
            ["fiat_symbol"] = "EUR",
            ["fiat_amount"] = fiatAmount,
            ["coin_symbol"] = "USDC",
            ["coin_chain"] = "polygon",
            ["wallet"] = wallet,
        });
        var answer = await response.ReadJsonAsync();
        // The transfer answer carries the documented misspelling.
        var expected = paymentType == "transfer" ? "sucess" : "success";
        Assert.True(answer.Text("status") == expected && answer.Text("message") == "payment_created",
            $"createPayment ({paymentType}) failed: {answer}\n{Sandbox.Server.Output}");
        return answer.GetProperty("data");
    }

    /// <summary><c>GET /api/payment/{id}</c>; the purchase's detail (<c>data</c>).</summary>
    public async Task<JsonElement> GetPaymentAsync(string paymentId)
    {
        using var response = await Partner.GetAsync($"/api/payment/{paymentId}");
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.Text("status") == "ok", $"GET /api/payment/{paymentId} failed: {answer}");
        return answer.GetProperty("data");
    }

    public static string NewExternalId() => $"e2e-{Guid.NewGuid():N}";

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
