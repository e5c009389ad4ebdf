using System.Net;
using System.Net.Http.Json;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Api;

/// <summary>Wire reference §2.2 and §3.1: POST /api/authenticate, the auth header, authorization_incorrect with HTTP 200.</summary>
public sealed class AuthenticationTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task IssuesATokenThatOpensTheApiInTheAuthHeader()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var http = server.CreateHttpClient();

        var response = await http.PostAsJsonAsync("/api/authenticate", new { api_key = credentials.ApiKey, api_secret = credentials.ApiSecret });
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        var token = body.GetProperty("data").GetProperty("token").GetString()!;
        Assert.Matches("^[a-z0-9]{50}$", token);
        Assert.Equal(3600, body.GetProperty("data").GetProperty("expires_in").GetInt32());
        Assert.EndsWith("Z", body.GetProperty("data").GetProperty("expires_at").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/available-assets");
        request.Headers.Add("auth", token);
        var assets = await (await http.SendAsync(request)).JsonAsync();
        Assert.Equal("ok", assets.GetProperty("status").GetString());
    }

    [Fact]
    public async Task StoresOnlyTheTokensHash()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var http = await server.CreateAuthenticatedHttpClientAsync(credentials);
        var token = http.DefaultRequestHeaders.GetValues("auth").Single();

        var stored = await server.QueryAsync(db => db.ApiTokens.Where(t => t.IntegrationId == credentials.Id).Select(t => t.TokenHash).ToListAsync());

        Assert.Single(stored);
        Assert.DoesNotContain(token, stored);
        Assert.Equal(Cryptopocket.Server.Infrastructure.Secrets.Sha256Hex(token), stored[0]);
    }

    public static TheoryData<string> WrongCredentialBodies => new()
    {
        """{"api_key":"pk_nobody","api_secret":"sk_nothing"}""",
        """{"api_key":"","api_secret":""}""",
        """{}""",
        """{"api_key":12,"api_secret":true}""",
        """{"api_key":["a"],"api_secret":{"b":1}}""",
    };

    [Theory]
    [MemberData(nameof(WrongCredentialBodies))]
    public async Task AnswersAuthorizationIncorrectForAnythingWrong(string body)
    {
        using var http = server.CreateHttpClient();
        var before = await server.CountAsync<ApiToken>();

        var response = await http.PostAsync("/api/authenticate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.AssertBusinessErrorAsync("authorization_incorrect");
        Assert.Equal(before, await server.CountAsync<ApiToken>());
    }

    [Fact]
    public async Task RefusesTheRightKeyWithAWrongSecret()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var http = server.CreateHttpClient();

        var response = await http.PostAsJsonAsync("/api/authenticate", new { api_key = credentials.ApiKey, api_secret = credentials.ApiSecret + "x" });

        await response.AssertBusinessErrorAsync("authorization_incorrect");
    }

    [Fact]
    public async Task AnswersMalformedJsonWithTheValidationShape()
    {
        using var http = server.CreateHttpClient();

        var response = await http.PostAsync("/api/authenticate", new StringContent("{\"api_key\":", System.Text.Encoding.UTF8, "application/json"));

        await response.AssertValidationErrorAsync("body");
    }

    public static TheoryData<string?> BadTokens => new()
    {
        null,
        "",
        "b87bsdf8hdsj9fh9sd78fubsdoiufbj",
        new string('a', 50),
        new string('x', 5000),
        "'; DROP TABLE api_tokens; --",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task RefusesMissingAndForgedTokens(string? token)
    {
        using var http = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/quote?amount=100&symbol=USDC&payment_type=card");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("auth", token);
        }

        var response = await http.SendAsync(request);

        await response.AssertBusinessErrorAsync("authorization_incorrect");
    }

    [Fact]
    public async Task RefusesAnExpiredToken()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var http = await server.CreateAuthenticatedHttpClientAsync(credentials);
        await server.QueryAsync(db => db.ApiTokens.Where(t => t.IntegrationId == credentials.Id)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        var response = await http.GetAsync("/api/available-assets");

        await response.AssertBusinessErrorAsync("authorization_incorrect");
    }

    [Fact]
    public async Task RotatingTheSecretRevokesTokensAndTheOldSecret()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var http = await server.CreateAuthenticatedHttpClientAsync(credentials);
        Assert.Equal("ok", (await (await http.GetAsync("/api/available-assets")).JsonAsync()).GetProperty("status").GetString());

        var rotated = await server.WithServiceAsync<IntegrationCredentials, IntegrationService>(s => s.RotateSecretAsync(credentials.Name, CancellationToken.None));

        await (await http.GetAsync("/api/available-assets")).AssertBusinessErrorAsync("authorization_incorrect");
        using var fresh = server.CreateHttpClient();
        await (await fresh.PostAsJsonAsync("/api/authenticate", new { api_key = credentials.ApiKey, api_secret = credentials.ApiSecret }))
            .AssertBusinessErrorAsync("authorization_incorrect");
        using var renewed = await server.CreateAuthenticatedHttpClientAsync(rotated);
        Assert.Equal("ok", (await (await renewed.GetAsync("/api/available-assets")).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ATokenRevokedBehindThisProcesssBackStopsWorkingWithinTheTokenCacheDuration()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var http = await server.CreateAuthenticatedHttpClientAsync(credentials);
        Assert.Equal("ok", (await (await http.GetAsync("/api/available-assets")).JsonAsync()).GetProperty("status").GetString());

        // What another instance or the command line does: the rows go, this process is not told.
        await server.QueryAsync(db => db.ApiTokens.Where(t => t.IntegrationId == credentials.Id).ExecuteDeleteAsync());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await (await http.GetAsync("/api/available-assets")).JsonAsync()).GetProperty("status").GetString() == "ok")
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "A deleted token still worked 3 s later (the cache trusts a token for 1 s).");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task DisablingAnIntegrationRevokesItsTokensAndRefusesNewOnes()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var http = await server.CreateAuthenticatedHttpClientAsync(credentials);

        await server.WithServiceAsync<IntegrationSummary, IntegrationService>(s => s.SetDisabledAsync(credentials.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), true, CancellationToken.None));

        await (await http.GetAsync("/api/available-assets")).AssertBusinessErrorAsync("authorization_incorrect");
        using var fresh = server.CreateHttpClient();
        await (await fresh.PostAsJsonAsync("/api/authenticate", new { api_key = credentials.ApiKey, api_secret = credentials.ApiSecret }))
            .AssertBusinessErrorAsync("authorization_incorrect");
        Assert.Equal(0, await server.QueryAsync(db => db.ApiTokens.CountAsync(t => t.IntegrationId == credentials.Id)));
    }

    [Fact]
    public async Task AnIpAllowlistThatExcludesTheCallerRefusesItsTokens()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var http = await server.CreateAuthenticatedHttpClientAsync(credentials);

        await server.WithServiceAsync<IntegrationSummary, IntegrationService>(s => s.SetAllowedIpsAsync(credentials.Name, ["203.0.113.0/24"], CancellationToken.None));
        await (await http.GetAsync("/api/available-assets")).AssertBusinessErrorAsync("authorization_incorrect");

        await server.WithServiceAsync<IntegrationSummary, IntegrationService>(s => s.SetAllowedIpsAsync(credentials.Name, ["127.0.0.1"], CancellationToken.None));
        Assert.Equal("ok", (await (await http.GetAsync("/api/available-assets")).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnOversizedBodyIsRefusedWithoutBeingRead()
    {
        using var http = server.CreateHttpClient();
        var huge = "{\"api_key\":\"" + new string('a', 100_000) + "\"}";

        var response = await http.PostAsync("/api/authenticate", new StringContent(huge, System.Text.Encoding.UTF8, "application/json"));

        await response.AssertBusinessErrorAsync("payload_too_large", HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownApiPathsAnswerTheErrorShapeWith404()
    {
        using var http = server.CreateHttpClient();

        var response = await http.GetAsync("/api/does-not-exist");

        await response.AssertBusinessErrorAsync("not_found", HttpStatusCode.NotFound);
    }
}

/// <summary>The rate limit on /api/authenticate, with a small limit so the test is quick.</summary>
public sealed class AuthenticationRateLimitTests(AuthenticationRateLimitTests.LimitedServer server) : IClassFixture<AuthenticationRateLimitTests.LimitedServer>
{
    public sealed class LimitedServer : ServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [
            new("Auth:AuthenticatePermitLimit", "3"),
            new("Auth:AuthenticateWindow", "00:10:00"),
            new("Logging:LogLevel:Default", "Warning"),
        ];
    }

    [Fact]
    public async Task RefusesAttemptsBeyondTheLimitWith429()
    {
        using var http = server.CreateHttpClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var response = await http.PostAsJsonAsync("/api/authenticate", new { api_key = "pk_x", api_secret = "sk_y" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.AssertBusinessErrorAsync("too_many_requests", HttpStatusCode.TooManyRequests);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
