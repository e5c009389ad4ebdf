using System.Globalization;
using System.Text.Json;
using Cryptopocket.Client.Tests.Infrastructure;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client.Tests;

public sealed class RequestShapeTests
{
    public static readonly RegisterUserRequest Ana = new()
    {
        Name = "Ana",
        LastName = "García",
        Phone = "+34600000000",
        Country = "ES",
        CountryCode = "34",
        City = "Madrid",
        Address = "Calle Mayor 1",
        Email = "ana@example.com",
        IdentificationNumber = "12345678Z",
        IdentificationType = "dni",
        Password = "S3cret-pass!",
        ProfessionalActivity = "engineer",
        AddressState = "Madrid",
        Zipcode = "28013",
        Dob = "1990-04-01",
    };

    [Fact]
    public async Task SendsTheAuthHeaderAndEscapesQueryValues()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Price));
        using var client = api.CreateClient();

        await client.GetTokenPriceAsync("US DT&fiat_symbol=USD/é");

        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Get, call.Method);
        Assert.Equal("/api/token-price", call.Path);
        Assert.Equal("?symbol=US%20DT%26fiat_symbol%3DUSD%2F%C3%A9", call.Uri.Query);
        Assert.Equal("token-1", call.Auth);
        Assert.False(call.HasAuthorization);
    }

    [Fact]
    public async Task FormatsTheQuoteAmountWithTheInvariantCulture()
    {
        var commaCulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        commaCulture.NumberFormat.NumberGroupSeparator = ".";
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = commaCulture;
        try
        {
            using var api = new FakeApi();
            api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Quote));
            using var client = api.CreateClient();

            await client.GetQuoteAsync(new QuoteOptions { Amount = 1234.5m, Symbol = "ETH", Chain = "base sepolia", PaymentType = PaymentTypes.Psd2 });

            Assert.Equal("?amount=1234.5&symbol=ETH&chain=base%20sepolia&payment_type=psd2", Assert.Single(api.Calls).Uri.Query);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task LeavesTheChainToTheServerAndPaysByCardByDefault()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Quote));
        using var client = api.CreateClient();

        await client.GetQuoteAsync(new QuoteOptions { Amount = 50m, Symbol = "USDT" });

        var call = Assert.Single(api.Calls);
        Assert.Equal("/api/quote", call.Path);
        Assert.Equal("?amount=50&symbol=USDT&payment_type=card", call.Uri.Query);
    }

    [Fact]
    public async Task PostsRegisterUserAsSnakeCaseJson()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.RegisteredUser));
        using var client = api.CreateClient();

        var user = await client.RegisterUserAsync(Ana);

        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal("/api/registerUser", call.Path);
        Assert.Equal("token-1", call.Auth);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal("García", body.RootElement.GetProperty("last_name").GetString());
        Assert.Equal("12345678Z", body.RootElement.GetProperty("identification_number").GetString());
        Assert.False(body.RootElement.TryGetProperty("last_name2", out _));
        Assert.Equal(
            new RegisteredUser(42, "ana@example.com", "Ana", "García", "12345678Z", "ES", KycValid: false, "http://cp.test/kyc/abc"),
            user);
    }

    [Fact]
    public async Task ChecksKycByUserId()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.Kyc("valid")));
        using var client = api.CreateClient();

        await client.CheckKycAsync(9_007_199_254_740_993);

        var call = Assert.Single(api.Calls);
        Assert.Equal("/api/kyc/check", call.Path);
        Assert.Equal("?user_id=9007199254740993", call.Uri.Query);
    }
}
