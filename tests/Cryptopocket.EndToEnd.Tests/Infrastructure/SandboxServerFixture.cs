using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Infrastructure;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One test class's sandbox: a fresh database (SQLite or PostgreSQL, as <see cref="TestDatabase"/> chooses), its own
/// data dir, <c>cryptopocket migrate</c>, then <c>cryptopocket serve</c> on a free loopback port. Operator commands run
/// against the same data dir and database while the server runs, as an operator's would.
/// </summary>
public class SandboxServerFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private ServerProcess? _server;
    private HttpClient? _partner;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");
    public ServerProcess Server => _server ?? throw new InvalidOperationException("Not started.");
    public string DataDir => Database.DataDir;
    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>A partner client authenticated with the sandbox integration's saved credentials.</summary>
    public HttpClient Partner => _partner ?? throw new InvalidOperationException("Not started.");

    /// <summary>The options that point a command at this fixture's data: always both, in every command.</summary>
    public IReadOnlyList<string> DataOptions => ["--data-dir", DataDir, "--database", Database.ConnectionString];

    public virtual async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        // PostgreSQL refuses operator commands until migrated; migrating first is what an operator does anyway.
        var migrate = await RunAsync("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        _server = await ServerProcess.StartAsync(DataDir, DataOptions);
        var (apiKey, apiSecret) = SandboxCredentials;
        _partner = await CreateAuthenticatedClientAsync(apiKey, apiSecret);
    }

    public virtual async Task DisposeAsync()
    {
        _partner?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary><c>cryptopocket &lt;arguments&gt; --data-dir … --database …</c>.</summary>
    public Task<CliResult> RunAsync(params string[] arguments) => Cli.RunAsync(DataDir, [.. arguments, .. DataOptions]);

    /// <summary>The credentials <c>serve</c> saved on its first start in this data dir.</summary>
    public (string ApiKey, string ApiSecret) SandboxCredentials
    {
        get
        {
            var path = Path.Combine(DataDir, "sandbox-credentials.json");
            Assert.True(File.Exists(path), $"No {path}.\n{Server.Output}");
            using var saved = JsonDocument.Parse(File.ReadAllText(path));
            return (saved.RootElement.GetProperty("api_key").GetString()!, saved.RootElement.GetProperty("api_secret").GetString()!);
        }
    }

    public static bool IsPostgres => TestDatabase.Provider == DatabaseProvider.Postgres;

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>POST /api/authenticate; the whole answer.</summary>
    public async Task<JsonElement> AuthenticateAsync(string apiKey, string apiSecret)
    {
        using var http = CreateHttpClient();
        using var response = await http.PostAsJsonAsync("/api/authenticate", new { api_key = apiKey, api_secret = apiSecret });
        return await response.ReadJsonAsync();
    }

    /// <summary>A client carrying the <c>auth</c> header of a fresh token for these credentials.</summary>
    public async Task<HttpClient> CreateAuthenticatedClientAsync(string apiKey, string apiSecret)
    {
        var answer = await AuthenticateAsync(apiKey, apiSecret);
        Assert.True(answer.GetProperty("status").GetString() == "ok", $"Authentication failed: {answer}\n{Server.Output}");
        var http = CreateHttpClient();
        http.DefaultRequestHeaders.Add("auth", answer.GetProperty("data").GetProperty("token").GetString());
        return http;
    }

    /// <summary>POST /api/registerUser; the customer's data (id, kyc_form_url, …).</summary>
    public static async Task<JsonElement> RegisterCustomerAsync(HttpClient authenticated, JsonObject body)
    {
        using var response = await authenticated.PostAsJsonAsync("/api/registerUser", body);
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.TryGetProperty("status", out var status) && status.GetString() == "ok", $"registerUser failed: {answer}");
        return answer.GetProperty("data");
    }

    /// <summary>GET /api/kyc/check?user_id=; the whole answer.</summary>
    public static async Task<JsonElement> CheckKycAsync(HttpClient authenticated, long userId)
    {
        using var response = await authenticated.GetAsync($"/api/kyc/check?user_id={userId}");
        var answer = await response.ReadJsonAsync();
        Assert.True(answer.TryGetProperty("kyc_status", out _), $"kyc/check failed: {answer}");
        return answer;
    }
}

public static class HttpJson
{
    /// <summary>The body as JSON, failing with the status and text when it is not.</summary>
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json",
            $"Not JSON (HTTP {(int)response.StatusCode}): {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string? Text(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
