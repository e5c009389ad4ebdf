using System.Text.Json;
using Cryptopocket.Client.Tests.Infrastructure;

namespace Cryptopocket.Client.Tests;

public sealed class PaymentReadingTests
{
    [Fact]
    public async Task ReadsAPaymentAndConvertsTheWireQuirks()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Payment()));
        using var client = api.CreateClient();

        var payment = await client.GetPaymentAsync(Payloads.PaymentId);

        var call = Assert.Single(api.Calls);
        Assert.Equal(HttpMethod.Get, call.Method);
        Assert.Equal($"/api/payment/{Payloads.PaymentId}", call.Path);
        Assert.Equal("token-1", call.Auth);
        Assert.Null(call.IdempotencyKey);
        Assert.Equal(Payloads.PaymentId, payment.Id);
        Assert.Equal("order-77", payment.ExternalId);
        // user_id is a string on the wire, beyond what a double holds exactly.
        Assert.Equal(9_007_199_254_740_993L, payment.UserId);
        Assert.Equal(PaymentStatus.CoinsSent, payment.Status);
        // fiat_amount is cents on the wire.
        Assert.Equal(150.50m, payment.FiatAmount);
        Assert.Equal("150.50", payment.FiatAmount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("EUR", payment.FiatSymbol);
        Assert.Equal("USDT", payment.CoinSymbol);
        Assert.Equal(163.123456789012345678m, payment.CoinAmount);
        Assert.Equal(new DateTimeOffset(2026, 6, 26, 10, 30, 0, TimeSpan.Zero), payment.CreatedAt);
        Assert.Equal("0xabc123", payment.Txid);
        Assert.Equal("card", payment.PaymentType);
        Assert.Equal("polygon", payment.CoinChain);
        Assert.Equal("0x52908400098527886E0F7030069857D2E4169EE7", payment.Wallet);
        Assert.Null(payment.FailureReason);
        Assert.Equal(new DateTimeOffset(2026, 6, 26, 10, 45, 0, TimeSpan.Zero), payment.UpdatedAt);
        var holder = Assert.NotNull(payment.Holder);
        Assert.Equal(JsonValueKind.Object, holder.ValueKind);
        Assert.Equal("Ana García", holder.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ReadsAPaymentWithoutTxidAndWithANullHolder()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Payment(status: "started", txid: null, holderJson: "null")));
        using var client = api.CreateClient();

        var payment = await client.GetPaymentAsync(Payloads.PaymentId);

        Assert.Equal(PaymentStatus.Started, payment.Status);
        Assert.Null(payment.Txid);
        Assert.Null(payment.Holder);
    }

    [Theory]
    [InlineData("\"Ana\"", JsonValueKind.String)]
    [InlineData("[1,2]", JsonValueKind.Array)]
    public async Task KeepsAHolderOfAnyJsonShape(string holderJson, JsonValueKind kind)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Payment(holderJson: holderJson)));
        using var client = api.CreateClient();

        var payment = await client.GetPaymentAsync(Payloads.PaymentId);

        Assert.Equal(kind, Assert.NotNull(payment.Holder).ValueKind);
    }

    [Theory]
    [InlineData("started", PaymentStatus.Started)]
    [InlineData("pending_bank", PaymentStatus.PendingBank)]
    [InlineData("payment_received", PaymentStatus.PaymentReceived)]
    [InlineData("coins_sent", PaymentStatus.CoinsSent)]
    [InlineData("payment_rejected", PaymentStatus.PaymentRejected)]
    [InlineData("expired", PaymentStatus.Expired)]
    [InlineData("refunded", PaymentStatus.Unknown)]
    [InlineData("", PaymentStatus.Unknown)]
    public async Task MapsPaymentStatusesAndTreatsUnknownOnesAsUnknown(string wire, PaymentStatus expected)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Payment(status: wire)));
        using var client = api.CreateClient();

        var payment = await client.GetPaymentAsync(Payloads.PaymentId);

        Assert.Equal(expected, payment.Status);
    }

    [Fact]
    public async Task EscapesThePaymentIdInThePath()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Payment()));
        using var client = api.CreateClient();

        await client.GetPaymentAsync("a/b?c=d#e f");

        var call = Assert.Single(api.Calls);
        Assert.Equal("/api/payment/a%2Fb%3Fc%3Dd%23e%20f", call.Uri.AbsolutePath);
        Assert.Equal("", call.Uri.Query);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(" ")]
    public async Task RefusesAPaymentIdThatIsNoPathSegment(string paymentId)
    {
        using var api = new FakeApi();
        using var client = api.CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetPaymentAsync(paymentId));

        Assert.Empty(api.Handler.Requests);
    }

    [Theory]
    [InlineData("\"user_id\":\"9007199254740993\"", "\"user_id\":\"abc\"")]
    [InlineData("\"user_id\":\"9007199254740993\"", "\"user_id\":42")]
    [InlineData("\"fiat_amount\":15050", "\"fiat_amount\":\"150.50\"")]
    [InlineData("\"id\":\"cp01jz8k3m4n5p6q7r8s9t0v1\",", "")]
    public async Task MapsAPaymentThatBreaksTheContractToUnexpectedResponse(string field, string replacement)
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Ok(Payloads.Payment().Replace(field, replacement, StringComparison.Ordinal)));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetPaymentAsync(Payloads.PaymentId));

        Assert.Equal(CryptopocketException.UnexpectedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task SurfacesPaymentNotFound()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Error("payment_not_found"));
        using var client = api.CreateClient();

        var error = await Assert.ThrowsAsync<CryptopocketException>(() => client.GetPaymentAsync(Payloads.PaymentId));

        Assert.Equal("payment_not_found", error.ErrorCode);
    }

    [Fact]
    public async Task ListsPaymentsWithoutFiltersByDefault()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.PaymentsPage(["p1", "p2"], page: 1, perPage: 20, total: 2, lastPage: 1)));
        using var client = api.CreateClient();

        var page = await client.ListPaymentsAsync();

        var call = Assert.Single(api.Calls);
        Assert.Equal("/api/payments", call.Path);
        Assert.Equal("", call.Uri.Query);
        Assert.Equal("token-1", call.Auth);
        Assert.Equal(["p1", "p2"], page.Payments.Select(p => p.Id));
        Assert.Equal(150.50m, page.Payments[0].FiatAmount);
        Assert.Equal((1, 20, 2, 1), (page.Page, page.PerPage, page.Total, page.LastPage));
    }

    [Fact]
    public async Task SendsEveryFilterThatIsSet()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.PaymentsPage([], page: 3, perPage: 50, total: 0, lastPage: 1)));
        using var client = api.CreateClient();

        await client.ListPaymentsAsync(new PaymentListOptions
        {
            Status = PaymentStatus.PaymentReceived,
            ExternalId = "order 77&x",
            UserId = 9_007_199_254_740_993,
            From = new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.FromHours(2)),
            To = new DateTimeOffset(2026, 6, 30, 23, 59, 59, 500, TimeSpan.Zero),
            Page = 3,
            PerPage = 50,
        });

        Assert.Equal(
            "?status=payment_received&external_id=order%2077%26x&user_id=9007199254740993"
            + "&from=2026-06-01T00%3A00%3A00.000000Z&to=2026-06-30T23%3A59%3A59.500000Z&page=3&per_page=50",
            Assert.Single(api.Calls).Uri.Query);
    }

    [Fact]
    public async Task SendsOnlyTheFiltersThatAreSet()
    {
        using var api = new FakeApi();
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.PaymentsPage([], page: 1, perPage: 20, total: 0, lastPage: 1)));
        using var client = api.CreateClient();

        await client.ListPaymentsAsync(new PaymentListOptions { Status = PaymentStatus.PendingBank, PerPage = 5 });

        Assert.Equal("?status=pending_bank&per_page=5", Assert.Single(api.Calls).Uri.Query);
    }

    [Fact]
    public async Task RefusesToFilterOnTheUnknownStatus()
    {
        using var api = new FakeApi();
        using var client = api.CreateClient();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => client.ListPaymentsAsync(new PaymentListOptions { Status = PaymentStatus.Unknown }));

        Assert.Empty(api.Handler.Requests);
    }

    [Fact]
    public async Task WalksEveryPage()
    {
        using var api = new FakeApi();
        string[][] pages = [["p1", "p2"], ["p3", "p4"], ["p5"]];
        api.Endpoint = request =>
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.Uri.Query);
            var number = int.Parse(query["page"] ?? "1", System.Globalization.CultureInfo.InvariantCulture);
            return Task.FromResult(Respond.Json(Payloads.PaymentsPage(pages[number - 1], number, perPage: 2, total: 5, lastPage: 3)));
        };
        using var client = api.CreateClient();

        var ids = new List<string>();
        await foreach (var payment in client.ListAllPaymentsAsync(new PaymentListOptions { UserId = 42, PerPage = 2 }))
        {
            ids.Add(payment.Id);
        }

        Assert.Equal(["p1", "p2", "p3", "p4", "p5"], ids);
        Assert.Equal(
            ["?user_id=42&page=1&per_page=2", "?user_id=42&page=2&per_page=2", "?user_id=42&page=3&per_page=2"],
            api.Calls.Select(c => c.Uri.Query));
        Assert.Single(api.Authentications);
    }

    [Fact]
    public async Task ReadsTheNextPageOnlyWhenThePreviousOneIsConsumed()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(Respond.Json(Payloads.PaymentsPage(["p"], page: 1, perPage: 1, total: 3, lastPage: 3)));
        using var client = api.CreateClient();

        await foreach (var _ in client.ListAllPaymentsAsync())
        {
            break;
        }

        Assert.Single(api.Calls);
    }

    [Fact]
    public async Task StopsWalkingAtAnEmptyPage()
    {
        using var api = new FakeApi();
        // A page emptied by deletions between two reads, while last_page still says there is more.
        api.Endpoint = _ => Task.FromResult(Respond.Json(Payloads.PaymentsPage([], page: 1, perPage: 20, total: 40, lastPage: 2)));
        using var client = api.CreateClient();

        var count = 0;
        await foreach (var _ in client.ListAllPaymentsAsync())
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.Single(api.Calls);
    }

    [Fact]
    public async Task StartsWalkingAtTheGivenPage()
    {
        using var api = new FakeApi();
        api.Endpoint = request => Task.FromResult(Respond.Json(
            Payloads.PaymentsPage([request.Uri.Query], page: request.Uri.Query.Contains("page=2", StringComparison.Ordinal) ? 2 : 3, perPage: 20, total: 41, lastPage: 3)));
        using var client = api.CreateClient();

        var ids = new List<string>();
        await foreach (var payment in client.ListAllPaymentsAsync(new PaymentListOptions { Page = 2 }))
        {
            ids.Add(payment.Id);
        }

        Assert.Equal(["?page=2", "?page=3"], ids);
    }
}
