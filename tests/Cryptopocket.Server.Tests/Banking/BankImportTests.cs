using System.Globalization;
using Cryptopocket.Server.Features.Banking;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Banking;

/// <summary>Transfers matched by concept and exact amount from real camt.053 statements; anything else kept for review.</summary>
public sealed class BankImportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Account = "ES6867130002530016234794";

    private async Task<(PurchaseKit Kit, string Id, long Concept)> TransferPurchaseAsync(decimal amount)
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var json = await kit.PostAsync("/api/createPayment", PurchaseKit.CardBody(await kit.ApprovedCustomerAsync(), amount, type: "transfer"));
        var data = json.GetProperty("data");
        return (kit, data.GetProperty("payment_id").GetString()!, data.GetProperty("concept").GetInt64());
    }

    private Task<ImportSummary> ImportAsync(params Camt053.Credit[] entries) =>
        server.WithServiceAsync<ImportSummary, BankReconciliation>(s => s.ImportAsync(Camt053.Statement(Account, entries), "test.xml", CancellationToken.None));

    private static string Ref() => "REF-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task ABookedCreditWithTheConceptAndExactAmountPaysThePurchaseOnce()
    {
        var (kit, id, concept) = await TransferPurchaseAsync(250.40m);
        var line = new Camt053.Credit(250.40m, $"COMPRA CRIPTO {concept}", Ref());

        var first = await ImportAsync(line);
        var again = await ImportAsync(line);

        Assert.Equal(1, first.Matched);
        Assert.Equal(1, again.AlreadyImported);
        var detail = await kit.DetailAsync(id);
        Assert.Equal("payment_received", detail.GetProperty("status").GetString());
        Assert.Equal("LUCIA GARCIA PEREZ", detail.GetProperty("holder").GetProperty("name").GetString());
        Assert.Equal(1, await server.QueryAsync(db => db.OutboxEvents.CountAsync(e => e.ResourceId == id && e.Type == EventTypes.PayIn)));
        Assert.Equal(id, await server.QueryAsync(db => db.BankTransactions.Where(t => t.Status == BankTransactionStatuses.Matched && t.PaymentId == id).Select(t => t.PaymentId).SingleAsync()));
    }

    [Fact]
    public async Task AWrongAmountIsKeptAsMismatchedAndPaysNothing()
    {
        var (kit, id, concept) = await TransferPurchaseAsync(100m);

        var summary = await ImportAsync(new Camt053.Credit(99.99m, concept.ToString(CultureInfo.InvariantCulture), Ref()));

        Assert.Equal(1, summary.Mismatched);
        Assert.Equal("started", (await kit.DetailAsync(id)).GetProperty("status").GetString());
        Assert.Equal(0, await server.QueryAsync(db => db.LedgerEntries.CountAsync(e => e.PaymentId == id)));
    }

    [Fact]
    public async Task UnknownConceptsAreUnmatchedDebitsIgnoredAndPendingLinesWaitForTheBookedOne()
    {
        var (kit, id, concept) = await TransferPurchaseAsync(80m);
        var reference = Ref();

        var summary = await ImportAsync(
            new Camt053.Credit(80m, "NO CONCEPT HERE", Ref()),
            new Camt053.Credit(80m, concept.ToString(CultureInfo.InvariantCulture), Ref(), IsCredit: false),
            new Camt053.Credit(80m, concept.ToString(CultureInfo.InvariantCulture), reference, Booked: false));
        Assert.Equal((1, 1, 1, 0), (summary.Unmatched, summary.Ignored, summary.Pending, summary.Matched));
        Assert.Equal("started", (await kit.DetailAsync(id)).GetProperty("status").GetString());

        var booked = await ImportAsync(new Camt053.Credit(80m, concept.ToString(CultureInfo.InvariantCulture), reference));

        Assert.Equal(1, booked.Matched);
        Assert.Equal("payment_received", (await kit.DetailAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task MoneyForAPurchaseThatIsNoLongerWaitingIsKeptForReview()
    {
        var (kit, id, concept) = await TransferPurchaseAsync(60m);
        await ImportAsync(new Camt053.Credit(60m, concept.ToString(CultureInfo.InvariantCulture), Ref()));

        var second = await ImportAsync(new Camt053.Credit(60m, concept.ToString(CultureInfo.InvariantCulture), Ref()));

        Assert.Equal(1, second.Mismatched);
        Assert.Equal(2, await server.QueryAsync(db => db.LedgerEntries.Where(e => e.PaymentId == id).Select(e => e.Asset).Distinct().CountAsync()));
        Assert.Equal(1, await server.QueryAsync(db => db.LedgerEntries.Where(e => e.PaymentId == id).Select(e => e.PostingId).Distinct().CountAsync()));
    }

    [Fact]
    public async Task AnOperatorCanRecordATransferByHandOnlyForATransferPurchaseAwaitingPayment()
    {
        var (kit, id, _) = await TransferPurchaseAsync(70m);
        var card = await kit.CreateAsync(PurchaseKit.CardBody(await kit.ApprovedCustomerAsync(), 70m));

        await server.WithServiceAsync<Features.Payments.Payment, BankReconciliation>(s => s.ReceiveManuallyAsync(id, CancellationToken.None));
        var twice = await Assert.ThrowsAsync<OperatorException>(() =>
            server.WithServiceAsync<Features.Payments.Payment, BankReconciliation>(s => s.ReceiveManuallyAsync(id, CancellationToken.None)));
        var notTransfer = await Assert.ThrowsAsync<OperatorException>(() =>
            server.WithServiceAsync<Features.Payments.Payment, BankReconciliation>(s => s.ReceiveManuallyAsync(card, CancellationToken.None)));

        Assert.Equal("payment_received", (await kit.DetailAsync(id)).GetProperty("status").GetString());
        Assert.Contains("payment_received", twice.Message, StringComparison.Ordinal);
        Assert.Contains("card", notTransfer.Message, StringComparison.Ordinal);
    }
}
