using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;

namespace Cryptopocket.Server.Tests.Infrastructure;

/// <summary>Shortcuts for purchase tests: an integration with a KYC-approved customer, and purchase bodies.</summary>
public sealed partial class PurchaseKit(ServerFixture server, IntegrationCredentials credentials, HttpClient http)
{
    public const string Wallet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    public IntegrationCredentials Credentials => credentials;
    public HttpClient Http => http;

    public static async Task<PurchaseKit> CreateAsync(ServerFixture server)
    {
        var credentials = await server.CreateIntegrationAsync();
        return new PurchaseKit(server, credentials, await server.CreateAuthenticatedHttpClientAsync(credentials));
    }

    /// <summary>A registered customer whose KYC an operator approved (optionally with enhanced verification).</summary>
    public async Task<long> ApprovedCustomerAsync(bool reinforced = false)
    {
        var id = await RegisterAsync();
        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.DecideAsync(id, true, null, CancellationToken.None));
        if (reinforced)
        {
            await server.WithServiceAsync<Customer, CustomerKycService>(s => s.UpdateAsync(id, c => c.ReinforcedKyc = true, CancellationToken.None));
        }
        return id;
    }

    public async Task<long> RegisterAsync()
    {
        var response = await http.PostAsJsonAsync("/api/registerUser", TestCustomers.SpanishBody());
        return (await response.JsonAsync()).GetProperty("data").GetProperty("id").GetInt64();
    }

    public static Dictionary<string, object?> CardBody(long userId, decimal amount = 150.50m, string type = "card", string? externalId = null) => new()
    {
        ["user_id"] = userId,
        ["external_id"] = externalId,
        ["payment_type"] = type,
        ["fiat_symbol"] = "EUR",
        ["fiat_amount"] = amount,
        ["coin_symbol"] = "USDC",
        ["coin_chain"] = "polygon",
        ["wallet"] = Wallet,
        ["callback_url"] = "https://partner.example/back",
    };

    public static Dictionary<string, object?> GuidedBody(long userId, decimal amount = 100m, string? externalId = null) => new()
    {
        ["user_id"] = userId,
        ["coin_symbol"] = "USDC",
        ["coin_chain"] = "polygon",
        ["fiat_amount"] = amount,
        ["fiat_symbol"] = "EUR",
        ["external_id"] = externalId,
    };

    public async Task<JsonElement> PostAsync(string path, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    public async Task<string> CreateAsync(Dictionary<string, object?> body, string path = "/api/createPayment")
    {
        var json = await PostAsync(path, body);
        Assert.True(json.GetProperty("data").TryGetProperty("payment_id", out var id), json.ToString());
        return id.GetString()!;
    }

    public async Task<JsonElement> DetailAsync(string paymentId) =>
        (await (await http.GetAsync($"/api/payment/{paymentId}")).JsonAsync()).GetProperty("data");
}

/// <summary>Fills in hosted forms the way a browser does: cookies, the antiforgery token, redirects followed.</summary>
public sealed partial class FormClient : IDisposable
{
    private readonly HttpClient _http;

    public FormClient(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = baseAddress };
    }

    public HttpClient Http => _http;

    public async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a form on the page at <paramref name="pagePath"/> (taking its antiforgery token) to <paramref name="action"/>.</summary>
    public async Task<(HttpResponseMessage Response, string Html)> SubmitAsync(string pagePath, string action, Dictionary<string, string> fields, string? html = null)
    {
        html ??= (await GetAsync(pagePath)).Html;
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, "The page has no antiforgery token: " + html[..Math.Min(400, html.Length)]);
        var content = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) };
        var response = await _http.PostAsync(action, new FormUrlEncodedContent(content));
        return (response, await response.Content.ReadAsStringAsync());
    }

    public static string? HiddenValue(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public static string? DataStatus(string html)
    {
        var match = Regex.Match(html, "data-status=\"([a-z_]+)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
