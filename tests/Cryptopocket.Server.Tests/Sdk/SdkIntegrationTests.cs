using Cryptopocket.Client;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Sdk;

/// <summary>The partner's path through the foundation, driven by the SDK against the real server.</summary>
public sealed class SdkIntegrationTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task FollowsTheIntegrationGuideFromQuoteToKycThroughTheSdk()
    {
        using var client = server.CreateClient(await server.CreateIntegrationAsync());

        var assets = await client.GetAvailableAssetsAsync();
        var usdc = Assert.Single(assets, a => a.Symbol == "USDC" && a.Chain == "polygon");
        var quote = await client.GetQuoteAsync(new QuoteOptions { Amount = 100m, Symbol = usdc.Symbol, PaymentType = "card" });
        var user = await client.RegisterUserAsync(TestCustomers.SpanishRequest());
        var kyc = await client.CheckKycAsync(user.Id);

        Assert.Equal(105.597826m, quote.CoinAmount);
        Assert.Equal(2.85m, quote.Fees.Total);
        Assert.Equal("polygon", quote.Chain);
        Assert.Equal(KycStatus.Unused, kyc.Status);
        Assert.Equal(user.KycFormUrl, kyc.FormUrl);
    }

    [Fact]
    public async Task PricesAndPaymentMethodsArriveAsDecimals()
    {
        using var client = server.CreateClient(await server.CreateIntegrationAsync());

        var price = await client.GetTokenPriceAsync("ETH");
        var methods = await client.GetPaymentMethodsAsync();

        Assert.Equal(2900m, price.Value);
        Assert.Equal(2.5m, Assert.Single(methods, m => m.Code == "card").FeePercent);
        Assert.All(methods, m => Assert.True(m.Allowed));
    }

    [Fact]
    public async Task BusinessErrorsBecomeOneExceptionWithTheWireCode()
    {
        using var client = server.CreateClient(await server.CreateIntegrationAsync());

        var notFound = await Assert.ThrowsAsync<CryptopocketException>(() => client.CheckKycAsync(987_654_321));
        var minimum = await Assert.ThrowsAsync<CryptopocketException>(() =>
            client.GetQuoteAsync(new QuoteOptions { Amount = 1m, Symbol = "USDC", PaymentType = "card" }));

        Assert.Equal("user_not_found", notFound.ErrorCode);
        Assert.Equal(200, notFound.HttpStatus);
        Assert.Equal("min_purchase", minimum.ErrorCode);
        Assert.Contains("10.00 EUR", minimum.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidationErrorsListEachFieldThroughTheSdk()
    {
        using var client = server.CreateClient(await server.CreateIntegrationAsync());
        var request = TestCustomers.SpanishRequest() with { IdentificationNumber = "12345678A", Dob = "2020-01-01" };

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.RegisterUserAsync(request));

        Assert.Equal(CryptopocketException.ValidationFailed, error.ErrorCode);
        Assert.Equal(422, error.HttpStatus);
        Assert.Contains("identification_number", error.ValidationErrors.Keys);
        Assert.Contains("dob", error.ValidationErrors.Keys);
    }

    [Fact]
    public async Task TheSdkRecoversWhenItsTokenIsRevokedByARotation()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var client = server.CreateClient(credentials);
        await client.GetAvailableAssetsAsync();

        // Revoke every token without changing the secret the client holds: the next call must re-authenticate.
        await server.QueryAsync(db => db.ApiTokens.Where(t => t.IntegrationId == credentials.Id).ExecuteDeleteAsync());
        // As the revocation reaches this server (at once through its own service, within a second otherwise).
        server.Services.GetRequiredService<ApiTokenCache>().Forget(credentials.Id);

        Assert.NotEmpty(await client.GetAvailableAssetsAsync());
        Assert.Equal(1, await server.QueryAsync(db => Task.FromResult(db.ApiTokens.Count(t => t.IntegrationId == credentials.Id))));
    }

    [Fact]
    public async Task AnotherIntegrationsCustomerIsInvisibleThroughTheSdk()
    {
        using var owner = server.CreateClient(await server.CreateIntegrationAsync());
        using var stranger = server.CreateClient(await server.CreateIntegrationAsync());
        var user = await owner.RegisterUserAsync(TestCustomers.SpanishRequest());

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => stranger.CheckKycAsync(user.Id));

        Assert.Equal("user_not_found", error.ErrorCode);
    }

    [Fact]
    public async Task AnOperatorDecisionIsWhatTheSdkReports()
    {
        using var client = server.CreateClient(await server.CreateIntegrationAsync());
        var user = await client.RegisterUserAsync(TestCustomers.SpanishRequest());

        await server.WithServiceAsync<Customer, CustomerKycService>(s => s.DecideAsync(user.Id, false, "blurred document", CancellationToken.None));
        var kyc = await client.CheckKycAsync(user.Id);

        Assert.Equal(KycStatus.Fail, kyc.Status);
        Assert.Equal("blurred document", kyc.Reason);
    }

    [Fact]
    public async Task ADisabledIntegrationsSdkFailsWithAuthorizationIncorrect()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var client = server.CreateClient(credentials);
        await server.WithServiceAsync<IntegrationSummary, IntegrationService>(s => s.SetDisabledAsync(credentials.Name, true, CancellationToken.None));

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetAvailableAssetsAsync());

        Assert.Equal("authorization_incorrect", error.ErrorCode);
    }
}
