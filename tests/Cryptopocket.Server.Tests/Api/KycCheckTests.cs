using System.Net.Http.Json;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Api;

/// <summary>Wire reference §4.4 and the guide's step 3: GET /api/kyc/check?user_id=.</summary>
public sealed class KycCheckTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ANewCustomerIsUnusedThenFollowsOperatorDecisions()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        var id = (await (await http.PostAsJsonAsync("/api/registerUser", TestCustomers.SpanishBody())).JsonAsync()).GetProperty("data").GetProperty("id").GetInt64();

        var unused = await (await http.GetAsync($"/api/kyc/check?user_id={id}")).JsonAsync();
        Assert.Equal("ok", unused.GetProperty("status").GetString());
        Assert.Equal("unused", unused.GetProperty("kyc_status").GetString());
        Assert.Equal("unused", unused.GetProperty("data").GetProperty("kyc_status").GetString());
        Assert.Equal(id, unused.GetProperty("data").GetProperty("user_id").GetInt64());

        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.DecideAsync(id, false, "document unreadable", CancellationToken.None));
        var failed = await (await http.GetAsync($"/api/kyc/check?user_id={id}")).JsonAsync();
        Assert.Equal("fail", failed.GetProperty("kyc_status").GetString());
        Assert.Equal("document unreadable", failed.GetProperty("data").GetProperty("reason").GetString());

        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.DecideAsync(id, true, null, CancellationToken.None));
        var valid = await (await http.GetAsync($"/api/kyc/check?user_id={id}")).JsonAsync();
        Assert.Equal("valid", valid.GetProperty("kyc_status").GetString());
        Assert.False(valid.GetProperty("data").TryGetProperty("kyc_form_url", out _));
    }

    [Fact]
    public async Task AnotherIntegrationsCustomerIsNotFound()
    {
        using var owner = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        using var stranger = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        var id = (await (await owner.PostAsJsonAsync("/api/registerUser", TestCustomers.SpanishBody())).JsonAsync()).GetProperty("data").GetProperty("id").GetInt64();

        await (await stranger.GetAsync($"/api/kyc/check?user_id={id}")).AssertBusinessErrorAsync("user_not_found");
        await (await stranger.GetAsync($"/api/kyc/check?user_id={id + 100000}")).AssertBusinessErrorAsync("user_not_found");
    }

    [Theory]
    [InlineData("")]
    [InlineData("?user_id=")]
    [InlineData("?user_id=abc")]
    [InlineData("?user_id=1.5")]
    [InlineData("?user_id=-4")]
    [InlineData("?user_id=99999999999999999999999")]
    public async Task RefusesMissingOrMalformedUserIds(string query)
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var response = await http.GetAsync("/api/kyc/check" + query);

        await response.AssertValidationErrorAsync("user_id");
    }
}
