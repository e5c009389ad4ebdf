using System.Net;
using Cryptopocket.Client.Tests.Infrastructure;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client.Tests;

public sealed class ErrorMappingTests
{
    [Fact]
    public async Task MapsABusinessErrorToItsCodeMessageAndData()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(
            """{"status":"error","error":"require_kyc","message":"The customer must pass KYC first.","data":"http://cp.test/kyc/abc"}"""));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.CheckKycAsync(42));

        Assert.Equal(ErrorCodes.RequireKyc, error.ErrorCode);
        Assert.Equal(200, error.HttpStatus);
        Assert.Equal("The customer must pass KYC first.", error.Message);
        Assert.Equal("http://cp.test/kyc/abc", error.Data);
        Assert.Empty(error.ValidationErrors);
    }

    [Fact]
    public async Task UsesTheErrorCodeAsMessageWhenTheServerSendsNone()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error(ErrorCodes.UserNotFound));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.CheckKycAsync(7));

        Assert.Equal(ErrorCodes.UserNotFound, error.ErrorCode);
        Assert.Equal(ErrorCodes.UserNotFound, error.Message);
        Assert.Null(error.Data);
    }

    [Fact]
    public async Task MapsAValidationFailureToItsFieldMessages()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(
            """
            {"message":"The email field is required. (and 1 more error)",
             "errors":{"email":["The email field is required."],"dob":["The dob field must be a date.","The dob field must be before today."]}}
            """,
            HttpStatusCode.UnprocessableEntity));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.RegisterUserAsync(RequestShapeTests.Ana));

        Assert.Equal(CryptopocketException.ValidationFailed, error.ErrorCode);
        Assert.Equal(422, error.HttpStatus);
        Assert.Equal("The email field is required. (and 1 more error)", error.Message);
        Assert.Equal(["dob", "email"], error.ValidationErrors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["The email field is required."], error.ValidationErrors["email"]);
        Assert.Equal(["The dob field must be a date.", "The dob field must be before today."], error.ValidationErrors["dob"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, ErrorCodes.NotFound)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge)]
    [InlineData(HttpStatusCode.TooManyRequests, ErrorCodes.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError, ErrorCodes.UnexpectedError)]
    public async Task MapsTheErrorEnvelopeOfAnyHttpStatus(HttpStatusCode status, string code)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error(code, status));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetPaymentMethodsAsync());

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal((int)status, error.HttpStatus);
    }

    [Fact]
    public async Task MapsANonJsonBadGatewayToUnexpectedResponse()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Text(
            "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", HttpStatusCode.BadGateway));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetAvailableAssetsAsync());

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
        Assert.Equal(502, error.HttpStatus);
        Assert.Single(api.Calls);
    }

    [Theory]
    [InlineData("""{"unexpected":true}""")]
    [InlineData("""{"status":"ok"}""")]
    [InlineData("""{"status":"ok","data":{"symbol":"USDT","fiat_symbol":"EUR","price":"1,05","updated_at":"2026-06-26T10:30:00.000000Z"}}""")]
    [InlineData("""{"status":"ok","data":{"symbol":"USDT","fiat_symbol":"EUR","price":1.05,"updated_at":"2026-06-26T10:30:00.000000Z"}}""")]
    [InlineData("""{"status":"error"}""")]
    [InlineData("""[1,2,3]""")]
    public async Task MapsAnAnswerThatBreaksTheContractToUnexpectedResponse(string json)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(json));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetTokenPriceAsync("USDT"));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
        Assert.Equal(200, error.HttpStatus);
    }

    [Fact]
    public async Task MapsASuccessEnvelopeWithAnErrorStatusToUnexpectedResponse()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json($$"""{"status":"ok","data":{{Payloads.Price}}}""", HttpStatusCode.ServiceUnavailable));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetTokenPriceAsync("USDT"));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
        Assert.Equal(503, error.HttpStatus);
    }
}
