using System.Text.Json;
using Cryptopocket.Client.Tests.Infrastructure;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client.Tests;

public sealed class TokenManagementTests
{
    [Fact]
    public async Task AuthenticateSendsTheCredentialsAndCachesTheToken()
    {
        using var api = new FakeApi();
        using var client = api.CreateClient();

        var token = await client.AuthenticateAsync();
        await client.GetAvailableAssetsAsync();

        Assert.Equal("token-1", token.Token);
        Assert.Equal(FakeApi.Start + api.TokenLifetime, token.ExpiresAt);
        var authentication = Assert.Single(api.Authentications);
        Assert.Equal(HttpMethod.Post, authentication.Method);
        Assert.Null(authentication.Auth);
        using var body = JsonDocument.Parse(authentication.Body!);
        Assert.Equal("key-1", body.RootElement.GetProperty("api_key").GetString());
        Assert.Equal("secret-1", body.RootElement.GetProperty("api_secret").GetString());
        Assert.Equal("token-1", Assert.Single(api.Calls).Auth);
    }

    [Fact]
    public async Task ReusesOneTokenForSeveralCalls()
    {
        using var api = new FakeApi();
        using var client = api.CreateClient();

        await client.GetAvailableAssetsAsync();
        await client.GetPaymentMethodsAsync();
        await client.GetAvailableAssetsAsync();

        Assert.Single(api.Authentications);
        Assert.Equal(["token-1", "token-1", "token-1"], api.Calls.Select(c => c.Auth));
    }

    [Fact]
    public async Task ReauthenticatesOnceTheClockPassesExpiryMinusRefreshBeforeExpiry()
    {
        using var api = new FakeApi { TokenLifetime = TimeSpan.FromHours(1) };
        using var client = api.CreateClient(refreshBeforeExpiry: TimeSpan.FromMinutes(5));

        await client.GetAvailableAssetsAsync();
        api.Clock.Advance(TimeSpan.FromMinutes(55) - TimeSpan.FromSeconds(1));
        await client.GetAvailableAssetsAsync();
        api.Clock.Advance(TimeSpan.FromSeconds(2));
        await client.GetAvailableAssetsAsync();

        Assert.Equal(2, api.Authentications.Count);
        Assert.Equal(["token-1", "token-1", "token-2"], api.Calls.Select(c => c.Auth));
    }

    [Fact]
    public async Task CountsTheTokenLifetimeOnTheLocalClockWhenTheServerClockLagsBehind()
    {
        // The server's expires_at is an hour in the client's past; expires_in still gives the token an hour.
        using var api = new FakeApi { ServerClockOffset = TimeSpan.FromHours(-2) };
        using var client = api.CreateClient();

        await client.GetAvailableAssetsAsync();
        api.Clock.Advance(TimeSpan.FromMinutes(30));
        await client.GetAvailableAssetsAsync();

        Assert.Single(api.Authentications);
    }

    [Fact]
    public async Task RetriesOnceAfterTokenRevocation()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(request.Auth == "token-1"
            ? Respond.Error(ErrorCodes.AuthorizationIncorrect)
            : Respond.Ok(Payloads.Assets));
        using var client = api.CreateClient();

        var assets = await client.GetAvailableAssetsAsync();

        Assert.Equal("USDT", Assert.Single(assets).Symbol);
        Assert.Equal(2, api.Authentications.Count);
        Assert.Equal(["token-1", "token-2"], api.Calls.Select(c => c.Auth));
    }

    [Fact]
    public async Task RetriesAPostWithTheSameBodyAfterTokenRevocation()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(request.Auth == "token-1"
            ? Respond.Error(ErrorCodes.AuthorizationIncorrect)
            : Respond.Ok(Payloads.RegisteredUser));
        using var client = api.CreateClient();

        var user = await client.RegisterUserAsync(RequestShapeTests.Ana);

        Assert.Equal(42, user.Id);
        Assert.Equal(2, api.Calls.Count);
        Assert.Equal(api.Calls[0].Body, api.Calls[1].Body);
        Assert.Contains("\"email\":\"ana@example.com\"", api.Calls[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivesUpWhenTheRetriedCallIsRefusedAgain()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error(ErrorCodes.AuthorizationIncorrect));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetAvailableAssetsAsync());

        Assert.Equal(ErrorCodes.AuthorizationIncorrect, error.ErrorCode);
        Assert.Equal(200, error.HttpStatus);
        Assert.Equal(2, api.Authentications.Count);
        Assert.Equal(2, api.Calls.Count);
    }

    [Fact]
    public async Task ThrowsWhenAuthenticationItselfFails()
    {
        using var api = new FakeApi();
        api.Authenticate = _ => Task.FromResult(Respond.Error(ErrorCodes.AuthorizationIncorrect));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetAvailableAssetsAsync());

        Assert.Equal(ErrorCodes.AuthorizationIncorrect, error.ErrorCode);
        Assert.Single(api.Authentications);
        Assert.Empty(api.Calls);
    }

    [Fact]
    public async Task AuthenticatesAgainOnTheNextCallAfterAFailedAuthentication()
    {
        using var api = new FakeApi();
        var failures = 1;
        api.Authenticate = _ => Task.FromResult(Interlocked.Decrement(ref failures) >= 0
            ? Respond.Error(ErrorCodes.TooManyRequests, System.Net.HttpStatusCode.TooManyRequests)
            : api.IssueToken());
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetAvailableAssetsAsync());
        await client.GetAvailableAssetsAsync();

        Assert.Equal(ErrorCodes.TooManyRequests, error.ErrorCode);
        Assert.Equal(429, error.HttpStatus);
        Assert.Equal(2, api.Authentications.Count);
        Assert.NotNull(Assert.Single(api.Calls).Auth);
    }

    [Fact]
    public async Task ConcurrentCallsAuthenticateOnce()
    {
        using var api = new FakeApi();
        var authenticationStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseAuthentication = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        api.Authenticate = async _ =>
        {
            authenticationStarted.TrySetResult();
            await releaseAuthentication.Task;
            return api.IssueToken();
        };
        using var client = api.CreateClient();

        var calls = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => client.GetAvailableAssetsAsync()))
            .ToList();
        await authenticationStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200); // gives every other caller time to reach the token
        releaseAuthentication.SetResult();
        await Task.WhenAll(calls);

        Assert.Single(api.Authentications);
        Assert.Equal(8, api.Calls.Count);
        Assert.All(api.Calls, call => Assert.Equal("token-1", call.Auth));
    }

    [Fact]
    public async Task ConcurrentCallsRefusedTogetherShareOneReauthentication()
    {
        const int callers = 6;
        using var api = new FakeApi();
        var refused = 0;
        var allRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        api.Endpoint = async request =>
        {
            if (request.Auth != "token-1")
            {
                return Respond.Ok(Payloads.Assets);
            }
            if (Interlocked.Increment(ref refused) == callers)
            {
                allRefused.SetResult();
            }
            await allRefused.Task;
            return Respond.Error(ErrorCodes.AuthorizationIncorrect);
        };
        using var client = api.CreateClient();
        await client.AuthenticateAsync();

        var calls = Enumerable.Range(0, callers)
            .Select(_ => Task.Run(() => client.GetAvailableAssetsAsync()))
            .ToList();
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, api.Authentications.Count);
        Assert.Equal(callers, api.Calls.Count(c => c.Auth == "token-2"));
    }
}
