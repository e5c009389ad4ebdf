using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Banking;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Hosting;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Cryptopocket.Server.Tests.Banking;

/// <summary>
/// Statements large enough to span several write chunks, and imports racing each other: every line is recorded
/// once, every purchase paid once with one PAY_IN, and a racing line costs the others nothing.
/// </summary>
public sealed class BankImportBatchTests(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const string Account = "ES6867130002530016234794";

    /// <summary>Ten digits: never one of the nine-digit concepts the API draws, so seeded purchases cannot clash with them.</summary>
    private static long _nextConcept = 1_000_000_000;

    private static string Ref() => "REF-" + Guid.NewGuid().ToString("N")[..12];

    private static string Remittance(long concept) => "COMPRA CRIPTO " + concept.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Transfer purchases awaiting payment, written straight to the database from one created through the API: the
    /// import is under test here, not purchase creation, and a thousand API calls would dwarf it.
    /// </summary>
    private async Task<List<Payment>> TransferPurchasesAsync(int count)
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var templateId = await kit.CreateAsync(PurchaseKit.CardBody(await kit.ApprovedCustomerAsync(), 42.10m, type: "transfer"));
        return await server.QueryAsync(async db =>
        {
            var template = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == templateId);
            var purchases = Enumerable.Range(0, count).Select(_ => new Payment
            {
                Id = Secrets.PublicId(),
                IntegrationId = template.IntegrationId,
                CustomerId = template.CustomerId,
                PaymentType = PaymentTypes.Transfer,
                FiatSymbol = template.FiatSymbol,
                FiatAmountCents = template.FiatAmountCents,
                CoinSymbol = template.CoinSymbol,
                Chain = template.Chain,
                CoinDecimals = template.CoinDecimals,
                CoinAmount = template.CoinAmount,
                Rate = template.Rate,
                ProcessingFeeCents = template.ProcessingFeeCents,
                NetworkFeeCents = template.NetworkFeeCents,
                PartnerFeeCents = template.PartnerFeeCents,
                Wallet = template.Wallet,
                Concept = Interlocked.Increment(ref _nextConcept),
                GatewayToken = Guid.NewGuid().ToString(),
                CreatedAt = template.CreatedAt,
                ExpiresAt = template.ExpiresAt,
            }).ToList();
            db.Payments.AddRange(purchases);
            await db.SaveChangesAsync();
            return purchases;
        });
    }

    private static Camt053.Credit Paying(Payment purchase, string? reference = null) =>
        new(purchase.FiatAmount, Remittance(purchase.Concept), reference ?? Ref());

    private Task<ImportSummary> ImportAsync(IEnumerable<Camt053.Credit> lines) =>
        server.WithServiceAsync<ImportSummary, BankReconciliation>(s => s.ImportAsync(Camt053.Statement(Account, [.. lines]), "batch.xml", CancellationToken.None));

    private Task<Dictionary<string, int>> PayInsByPurchaseAsync(IReadOnlyCollection<string> ids) =>
        server.QueryAsync(db => db.OutboxEvents.Where(e => e.Type == EventTypes.PayIn && ids.Contains(e.ResourceId))
            .GroupBy(e => e.ResourceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));

    private Task<Dictionary<string, string>> StatusesAsync(IReadOnlyCollection<string> ids) =>
        server.QueryAsync(db => db.Payments.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Status));

    [Fact]
    public async Task ALargeStatementRecordsEveryLineOnceAndPaysEachPurchaseOnce()
    {
        const int count = 500;
        var purchases = await TransferPurchasesAsync(count);
        var lines = purchases.Select(p => Paying(p)).ToList();
        // The first purchase named again at the end, under its own reference: long after the first line's chunk
        // was written, it must find the purchase paid and be kept for review.
        lines.Add(Paying(purchases[0]));
        // A bank that repeats a reference inside one file: the parser tells the two lines apart ("…#2"), so the
        // second is another transfer naming a paid purchase, kept for review too.
        lines.Add(lines[1]);

        var clock = Stopwatch.StartNew();
        var first = await ImportAsync(lines);
        clock.Stop();
        var again = await ImportAsync(lines);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{TestDatabase.Provider}: imported {count} paying lines in {clock.Elapsed.TotalMilliseconds:0} ms ({count / clock.Elapsed.TotalSeconds:0} lines/s)"));
        Assert.Equal((count + 2, count, 2, 0, 0), (first.Lines, first.Matched, first.Mismatched, first.Unmatched, first.AlreadyImported));
        Assert.Equal((0, count + 2), (again.Matched + again.Mismatched + again.Unmatched + again.Ignored, again.AlreadyImported));
        var ids = purchases.Select(p => p.Id).ToList();
        Assert.All(await StatusesAsync(ids), s => Assert.Equal(PaymentStatuses.PaymentReceived, s.Value));
        var payIns = await PayInsByPurchaseAsync(ids);
        Assert.Equal(count, payIns.Count);
        Assert.All(payIns, p => Assert.Equal(1, p.Value));
        var references = lines.Select(l => l.Reference).Distinct().ToList();
        Assert.Equal(count + 1, await server.QueryAsync(db => db.BankTransactions.CountAsync(t => t.AccountIban == Account && references.Contains(t.EntryReference))));
        Assert.Equal(count, await server.QueryAsync(db => db.LedgerEntries.Where(e => ids.Contains(e.PaymentId!)).Select(e => e.PostingId).Distinct().CountAsync()));
        var repeat = await server.QueryAsync(db => db.BankTransactions.SingleAsync(t => t.EntryReference == lines[count].Reference));
        Assert.Equal((BankTransactionStatuses.Mismatched, purchases[0].Id), (repeat.Status, repeat.PaymentId));
        Assert.Contains(PaymentStatuses.PaymentReceived, repeat.Note, StringComparison.Ordinal);
        var repeatedReference = await server.QueryAsync(db => db.BankTransactions.SingleAsync(t => t.EntryReference == lines[1].Reference + "#2"));
        Assert.Equal((BankTransactionStatuses.Mismatched, purchases[1].Id), (repeatedReference.Status, repeatedReference.PaymentId));
    }

    [Fact]
    public async Task AFileNamingOnePurchaseTwiceMatchesTheFirstLineAndKeepsTheSecondForReview()
    {
        var purchase = (await TransferPurchasesAsync(1))[0];
        var firstLine = Paying(purchase);
        var secondLine = Paying(purchase);

        var summary = await ImportAsync([firstLine, secondLine]);

        Assert.Equal((1, 1), (summary.Matched, summary.Mismatched));
        var rows = await server.QueryAsync(db => db.BankTransactions.Where(t => t.PaymentId == purchase.Id).ToDictionaryAsync(t => t.EntryReference, t => t.Status));
        Assert.Equal(BankTransactionStatuses.Matched, rows[firstLine.Reference]);
        Assert.Equal(BankTransactionStatuses.Mismatched, rows[secondLine.Reference]);
        Assert.Equal(1, (await PayInsByPurchaseAsync([purchase.Id]))[purchase.Id]);
    }

    [Fact]
    public async Task LinesARacingImportAppliedFirstAreSkippedAndTheRestStillApply()
    {
        var purchases = await TransferPurchasesAsync(300);
        var lines = purchases.Select(p => Paying(p)).ToList();
        // The racing import carries one of these lines as is (same bank reference), and pays another purchase
        // through a line of its own (say, the same transfer on a statement of another format).
        var racing = new[] { lines[3], Paying(purchases[7]) };
        var race = new RaceBeforeFirstWrite(() => ImportAsync(racing));

        var summary = await ImportWithAsync(race, lines);

        Assert.Equal(2, race.Result!.Matched);
        Assert.Equal((298, 1, 1), (summary.Matched, summary.AlreadyImported, summary.Mismatched));
        var ids = purchases.Select(p => p.Id).ToList();
        Assert.All(await StatusesAsync(ids), s => Assert.Equal(PaymentStatuses.PaymentReceived, s.Value));
        var payIns = await PayInsByPurchaseAsync(ids);
        Assert.Equal(300, payIns.Count);
        Assert.All(payIns, p => Assert.Equal(1, p.Value));
        var lost = await server.QueryAsync(db => db.BankTransactions.SingleAsync(t => t.EntryReference == lines[7].Reference));
        Assert.Equal((BankTransactionStatuses.Mismatched, purchases[7].Id), (lost.Status, lost.PaymentId));
    }

    [Fact]
    public async Task TwoOverlappingImportsAtOncePayEachPurchaseOnce()
    {
        var purchases = await TransferPurchasesAsync(400);
        var lines = purchases.Select(p => Paying(p)).ToList();

        var summaries = await Task.WhenAll(ImportAsync(lines[..300]), ImportAsync(lines[100..]));

        Assert.Equal(400, summaries.Sum(s => s.Matched));
        Assert.Equal(200, summaries.Sum(s => s.AlreadyImported));
        var payIns = await PayInsByPurchaseAsync(purchases.Select(p => p.Id).ToList());
        Assert.Equal(400, payIns.Count);
        Assert.All(payIns, p => Assert.Equal(1, p.Value));
    }

    /// <summary>Imports through a context of its own, so the race can be slipped in between the import's reads and its first write.</summary>
    private async Task<ImportSummary> ImportWithAsync(IInterceptor race, IEnumerable<Camt053.Credit> lines)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        CoreServices.ConfigureDatabase(options, server.Options);
        options.AddInterceptors(race);
        await using var db = new AppDbContext(options.Options);
        var clock = server.Services.GetRequiredService<TimeProvider>();
        var reconciliation = new BankReconciliation(db, new PaymentLifecycle(db, clock), clock);
        return await reconciliation.ImportAsync(Camt053.Statement(Account, [.. lines]), "raced.xml", CancellationToken.None);
    }

    /// <summary>Runs another import to completion just before the import under test opens its first transaction.</summary>
    private sealed class RaceBeforeFirstWrite(Func<Task<ImportSummary>> racingImport) : DbTransactionInterceptor
    {
        public ImportSummary? Result { get; private set; }

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            Result ??= await racingImport();
            return result;
        }
    }
}
