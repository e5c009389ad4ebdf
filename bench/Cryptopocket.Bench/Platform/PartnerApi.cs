using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cryptopocket.Bench.Platform;

/// <summary>The partner API calls the set-up and verification steps make (the measured loads build their own requests).</summary>
public sealed class PartnerApi(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 32, UseCookies = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public Uri BaseAddress => baseAddress;

    public static HttpRequestMessage Request(HttpMethod method, string path, Partner? partner, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (partner is not null)
        {
            request.Headers.TryAddWithoutValidation("auth", partner.Token);
        }
        return request;
    }

    public async Task<string> AuthenticateAsync(string apiKey, string apiSecret)
    {
        var body = new JsonObject { ["api_key"] = apiKey, ["api_secret"] = apiSecret }.ToJsonString();
        using var request = Request(HttpMethod.Post, "/api/authenticate", null, Http.JsonBody(body));
        var answer = await Http.JsonAsync(_http, request);
        return answer.Text("status") == "ok"
            ? answer.GetProperty("data").GetProperty("token").GetString()!
            : throw new BenchFailedException($"authenticate: {answer}");
    }

    /// <summary>POST /api/registerUser with a valid Spanish body; answers the id and the hosted KYC form's URL.</summary>
    public async Task<(long Id, string KycFormUrl)> RegisterCustomerAsync(Partner partner, int dniNumber)
    {
        using var request = Request(HttpMethod.Post, "/api/registerUser", partner, Http.JsonBody(CustomerBodies.Spanish(dniNumber).ToJsonString()));
        var answer = await Http.JsonAsync(_http, request);
        if (answer.Text("status") != "ok")
        {
            throw new BenchFailedException($"registerUser: {answer}");
        }
        var data = answer.GetProperty("data");
        return (data.GetProperty("id").GetInt64(), data.Text("kyc_form_url")!);
    }

    public async Task<string?> KycStatusAsync(Partner partner, long userId)
    {
        using var request = Request(HttpMethod.Get, $"/api/kyc/check?user_id={userId}", partner);
        return (await Http.JsonAsync(_http, request)).Text("kyc_status");
    }

    /// <summary>POST /api/subscribeToWebhook, form-encoded as the docs show it.</summary>
    public async Task SubscribeAsync(Partner partner, string type, Uri url)
    {
        using var form = new FormUrlEncodedContent([new("type", type), new("url", url.ToString())]);
        using var request = Request(HttpMethod.Post, "/api/subscribeToWebhook", partner, form);
        var answer = await Http.JsonAsync(_http, request);
        if (answer.Text("status") != "ok")
        {
            throw new BenchFailedException($"subscribeToWebhook {type}: {answer}");
        }
    }

    /// <summary>A TRANSFER purchase through POST /api/createPayment; answers its id and the concept the bank line must carry.</summary>
    public async Task<(string PaymentId, long Concept)> CreateTransferPaymentAsync(Customer customer, decimal fiatAmount, string wallet)
    {
        var body = new JsonObject
        {
            ["user_id"] = customer.Id,
            ["payment_type"] = "TRANSFER",
            ["fiat_symbol"] = "EUR",
            ["fiat_amount"] = fiatAmount,
            ["coin_symbol"] = "USDC",
            ["coin_chain"] = "polygon",
            ["wallet"] = wallet,
        };
        using var request = Request(HttpMethod.Post, "/api/createPayment", customer.Partner, Http.JsonBody(body.ToJsonString()));
        var answer = await Http.JsonAsync(_http, request);
        if (answer.Text("message") != "payment_created")
        {
            throw new BenchFailedException($"createPayment {body.ToJsonString()}: {answer}");
        }
        var data = answer.GetProperty("data");
        return (data.Text("payment_id")!, data.GetProperty("concept").GetInt64());
    }

    /// <summary>The pagination total of GET /api/payments with this query (per_page=1: only the count is read).</summary>
    public async Task<long> CountPaymentsAsync(Partner partner, string query = "")
    {
        using var request = Request(HttpMethod.Get, $"/api/payments?per_page=1{(query.Length > 0 ? "&" + query : "")}", partner);
        var answer = await Http.JsonAsync(_http, request);
        return answer.Text("status") == "ok"
            ? answer.GetProperty("pagination").GetProperty("total").GetInt64()
            : throw new BenchFailedException($"payments list ({query}): {answer}");
    }

    /// <summary>Any request, answered as JSON (for one-off calls of the phases).</summary>
    public async Task<JsonElement> SendAsync(HttpRequestMessage request) => await Http.JsonAsync(_http, request);

    public void Dispose() => _http.Dispose();
}

/// <summary>Registration bodies that pass every check of POST /api/registerUser (docs/api.md).</summary>
public static class CustomerBodies
{
    private const string DniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

    /// <summary>A Spanish DNI: 8 digits and the control letter of number mod 23.</summary>
    public static string Dni(int number) => string.Create(CultureInfo.InvariantCulture, $"{number:00000000}{DniLetters[number % 23]}");

    public static JsonObject Spanish(int dniNumber) => new()
    {
        ["name"] = "Lucía",
        ["last_name"] = "García",
        ["last_name2"] = "Pérez",
        ["phone"] = "+34600123456",
        ["country"] = "Spain",
        ["country_code"] = "ESP",
        ["city"] = "Madrid",
        ["address"] = "Calle Mayor 1",
        ["email"] = $"bench{Guid.NewGuid():N}@example.com",
        ["identification_number"] = Dni(dniNumber),
        ["identification_type"] = "GOVERNMENT_ID",
        ["password"] = "s3cret-pass",
        ["professional_activity"] = "Developer",
        ["address_state"] = "Madrid",
        ["zipcode"] = "28013",
        ["dob"] = "1986-05-03",
        ["iban"] = "ES9121000418450200051332",
    };
}
