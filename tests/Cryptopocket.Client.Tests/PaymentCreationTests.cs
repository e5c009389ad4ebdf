using System.Net;
using System.Text.Json;
using Cryptopocket.Client.Tests.Infrastructure;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client.Tests;

public sealed class PaymentCreationTests
{
    public static readonly CreatePaymentRequest CardPurchase = new()
    {
        UserId = 42,
        ExternalId = "order-77",
        PaymentType = PaymentTypes.Card,
        FiatAmount = 150.50m,
        CoinSymbol = "USDT",
        CoinChain = "polygon",
        Wallet = "0x52908400098527886E0F7030069857D2E4169EE7",
    };

    public static readonly CreateGuidedPaymentRequest GuidedPurchase = new()
    {
        UserId = 42,
        CoinSymbol = "USDT",
        CoinChain = "polygon",
        FiatAmount = 150.50m,
        ExternalId = "order-77",
    };

    [Fact]
    public async Task PostsCreatePaymentAndReadsTheCardShape()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.CardCreated()));
        using var client = api.CreateClient();

        var created = await client.CreatePaymentAsync(CardPurchase);

        Assert.Equal(new PaymentCreated(Payloads.PaymentId, "http://cp.test/gateway/card?token=g4t3", Transfer: null), created);
        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Post, call.Method);
        Assert.Equal("/api/createPayment", call.Path);
        Assert.Equal("token-1", call.Auth);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal(42, body.RootElement.GetProperty("user_id").GetInt64());
        Assert.Equal(150.50m, body.RootElement.GetProperty("fiat_amount").GetDecimal());
        Assert.Equal("card", body.RootElement.GetProperty("payment_type").GetString());
        Assert.Equal("EUR", body.RootElement.GetProperty("fiat_symbol").GetString());
        Assert.False(body.RootElement.TryGetProperty("callback_url", out _));
    }

    [Theory]
    [InlineData("sucess")]
    [InlineData("success")]
    public async Task ReadsTheTransferShapeWhicheverWayTheEnvelopeSpellsSuccess(string status)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.TransferCreated(status)));
        using var client = api.CreateClient();

        var created = await client.CreatePaymentAsync(CardPurchase with { PaymentType = PaymentTypes.Transfer });

        Assert.Equal(
            new PaymentCreated(
                Payloads.PaymentId,
                PaymentUrl: null,
                new BankTransferInstructions("ES9121000418450200051332", "CAIXESBBXXX", 482913577, "Cryptopocket SL")),
            created);
    }

    [Fact]
    public async Task ReadsTheCardShapeUnderTheMisspelledEnvelope()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.CardCreated("sucess")));
        using var client = api.CreateClient();

        var created = await client.CreatePaymentAsync(CardPurchase);

        Assert.Equal("http://cp.test/gateway/card?token=g4t3", created.PaymentUrl);
        Assert.Null(created.Transfer);
    }

    [Theory]
    [InlineData("""{"status":"sucess","message":"payment_created","data":{"payment_id":"p","iban":"ES91","bic":"CAIX","destination_name":"CP"}}""")]
    [InlineData("""{"status":"success","message":"payment_created","data":{"payment_id":"p"}}""")]
    [InlineData("""{"status":"success","message":"payment_created","data":null}""")]
    [InlineData("""{"status":"succes","message":"payment_created","data":{"url_payment":"http://cp.test/g","payment_id":"p"}}""")]
    public async Task MapsACreationAnswerThatBreaksTheContractToUnexpectedResponse(string json)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(json));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.CreatePaymentAsync(CardPurchase));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task PostsCreateGuidedPaymentAndReadsTheGateway()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.GuidedCreated));
        using var client = api.CreateClient();

        var created = await client.CreateGuidedPaymentAsync(GuidedPurchase);

        Assert.Equal(
            new GuidedPaymentResult(Payloads.PaymentId, new Uri($"http://cp.test/payment/{Payloads.PaymentId}"), "order-77"),
            created);
        var call = Assert.Single(api.Calls);
        Assert.Equal("/api/createGuidedPayment", call.Path);
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal("polygon", body.RootElement.GetProperty("coin_chain").GetString());
        Assert.False(body.RootElement.TryGetProperty("payment_type", out _));
    }

    [Fact]
    public async Task ReadsAGuidedPaymentWithoutExternalId()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.GuidedCreated.Replace("\"order-77\"", "null", StringComparison.Ordinal)));
        using var client = api.CreateClient();

        var created = await client.CreateGuidedPaymentAsync(GuidedPurchase with { ExternalId = null });

        Assert.Null(created.ExternalId);
    }

    [Fact]
    public async Task SendsTheCallersIdempotencyKey()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.CardCreated()));
        using var client = api.CreateClient();

        await client.CreatePaymentAsync(CardPurchase, new RequestOptions { IdempotencyKey = "order-77/attempt" });

        Assert.Equal("order-77/attempt", Assert.Single(api.Calls).IdempotencyKey);
    }

    [Fact]
    public async Task GeneratesADifferentIdempotencyKeyForEachCall()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(Respond.Json(
            request.Path == "/api/createPayment" ? Payloads.CardCreated() : Payloads.GuidedCreated));
        using var client = api.CreateClient();

        await client.CreatePaymentAsync(CardPurchase);
        await client.CreatePaymentAsync(CardPurchase, new RequestOptions());
        await client.CreateGuidedPaymentAsync(GuidedPurchase);

        var keys = api.Calls.Select(c => c.IdempotencyKey).ToList();
        Assert.Equal(3, keys.Count);
        Assert.All(keys, key => Assert.Matches("^[0-9a-f]{32}$", key));
        Assert.Equal(3, keys.Distinct().Count());
    }

    [Fact]
    public async Task RetriesCreatePaymentWithTheSameGeneratedKeyAfterTokenRevocation()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(request.Auth == "token-1"
            ? Respond.Error(ErrorCodes.AuthorizationIncorrect)
            : Respond.Json(Payloads.CardCreated()));
        using var client = api.CreateClient();

        var created = await client.CreatePaymentAsync(CardPurchase);

        Assert.Equal(Payloads.PaymentId, created.PaymentId);
        Assert.Equal(["token-1", "token-2"], api.Calls.Select(c => c.Auth));
        Assert.NotNull(api.Calls[0].IdempotencyKey);
        Assert.Equal(api.Calls[0].IdempotencyKey, api.Calls[1].IdempotencyKey);
        Assert.Equal(api.Calls[0].Body, api.Calls[1].Body);
    }

    [Fact]
    public async Task RetriesCreateGuidedPaymentWithTheSameGeneratedKeyAfterTokenRevocation()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(request.Auth == "token-1"
            ? Respond.Error(ErrorCodes.AuthorizationIncorrect)
            : Respond.Json(Payloads.GuidedCreated));
        using var client = api.CreateClient();

        await client.CreateGuidedPaymentAsync(GuidedPurchase);

        Assert.Equal(2, api.Calls.Count);
        Assert.NotNull(api.Calls[0].IdempotencyKey);
        Assert.Equal(api.Calls[0].IdempotencyKey, api.Calls[1].IdempotencyKey);
    }

    [Fact]
    public async Task RetriesWithTheCallersKeyAfterTokenRevocation()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(request.Auth == "token-1"
            ? Respond.Error(ErrorCodes.AuthorizationIncorrect)
            : Respond.Json(Payloads.CardCreated()));
        using var client = api.CreateClient();

        await client.CreatePaymentAsync(CardPurchase, new RequestOptions { IdempotencyKey = "order-77" });

        Assert.Equal(["order-77", "order-77"], api.Calls.Select(c => c.IdempotencyKey));
    }

    [Fact]
    public async Task ReadsAReplayedAnswer()
    {
        using var api = new FakeApi();
        api.Endpoint = _ =>
        {
            var replay = Respond.Json(Payloads.CardCreated());
            replay.Headers.Add("Idempotent-Replayed", "true");
            return Task.FromResult(replay);
        };
        using var client = api.CreateClient();

        var created = await client.CreatePaymentAsync(CardPurchase, new RequestOptions { IdempotencyKey = "order-77" });

        Assert.Equal(Payloads.PaymentId, created.PaymentId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("clé")]
    public async Task RefusesAnIdempotencyKeyTheServerWouldRefuseWithoutSendingIt(string key)
    {
        using var api = new FakeApi();
        using var client = api.CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(
            () => client.CreatePaymentAsync(CardPurchase, new RequestOptions { IdempotencyKey = key }));

        Assert.Empty(api.Handler.Requests);
    }

    [Fact]
    public async Task RefusesAnIdempotencyKeyLongerThan255Characters()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.CardCreated()));
        using var client = api.CreateClient();

        await client.CreatePaymentAsync(CardPurchase, new RequestOptions { IdempotencyKey = new string('k', 255) });
        await Assert.ThrowsAsync<ArgumentException>(
            () => client.CreatePaymentAsync(CardPurchase, new RequestOptions { IdempotencyKey = new string('k', 256) }));

        Assert.Single(api.Calls);
    }

    [Fact]
    public async Task SurfacesRequireKycWithTheFormUrlInData()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(
            """{"status":"error","error":"require_kyc","message":"The customer must complete KYC first.","data":"http://cp.test/kyc/abc"}"""));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.CreatePaymentAsync(CardPurchase));

        Assert.Equal(ErrorCodes.RequireKyc, error.ErrorCode);
        Assert.Equal(200, error.HttpStatus);
        Assert.Equal("The customer must complete KYC first.", error.Message);
        Assert.Equal("http://cp.test/kyc/abc", error.Data);
        Assert.Single(api.Calls);
    }

    [Theory]
    [InlineData(ErrorCodes.MinPurchase)]
    [InlineData(ErrorCodes.FailMandatoryField)]
    [InlineData(ErrorCodes.LimitExceeded)]
    [InlineData("idempotency_key_reused")]
    public async Task SurfacesPurchaseBusinessErrors(string code)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error(code));
        using var client = api.CreateClient();

        var createError = await Assert.ThrowsAsync<CryptopocketException>(() => client.CreatePaymentAsync(CardPurchase));
        var guidedError = await Assert.ThrowsAsync<CryptopocketException>(() => client.CreateGuidedPaymentAsync(GuidedPurchase));

        Assert.Equal(code, createError.ErrorCode);
        Assert.Equal(code, guidedError.ErrorCode);
    }

    [Fact]
    public async Task SurfacesAMalformedFieldAsAValidationFailure()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(
            """{"message":"The wallet field is invalid.","errors":{"wallet":["The wallet field is invalid."]}}""",
            HttpStatusCode.UnprocessableEntity));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.CreatePaymentAsync(CardPurchase));

        Assert.Equal(CryptopocketException.ValidationFailed, error.ErrorCode);
        Assert.Equal(["The wallet field is invalid."], error.ValidationErrors["wallet"]);
    }
}
