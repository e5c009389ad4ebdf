using System.Text.Json;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Banking.Statements;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Payments;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Banking;

/// <summary>
/// Matches incoming SEPA transfers to transfer purchases by concept and exact amount. A line that does not fit one
/// purchase exactly is kept for an operator to review, never guessed; a line seen before is skipped, so importing a
/// statement twice changes nothing.
/// </summary>
/// <remarks>
/// Lines are written a chunk at a time: one read of the chunk's known references and named purchases, then every line
/// with the payment it makes in one SaveChanges and one commit, instead of a query, a save and a commit (a disk flush)
/// for every line, which held the import to about a hundred lines a second. Nothing is lost by it: a bank line and the
/// payment it makes still commit together, and the guards against a racing import are the database's, not this
/// process's: the unique (account, reference) index on bank lines and the purchase's version. A chunk that trips one is
/// rolled back and applied again line by line from fresh reads, so the racing line is skipped (already imported) or
/// kept for review (purchase already paid) and the others still apply.
/// </remarks>
public sealed class BankReconciliation(AppDbContext db, PaymentLifecycle lifecycle, TimeProvider clock)
{
    /// <summary>
    /// Enough to make commits rare, few enough that a chunk redone line by line after a race stays short. A chunk's
    /// payments are visible (their PAY_IN events delivered, their settlement started) only once it commits: at 200, the
    /// first line of a chunk waited about 100 ms for the rest (docs/performance.md, "Eleventh session").
    /// </summary>
    private const int LinesPerChunk = 100;

    /// <summary>A line that keeps failing after this many fresh attempts has a problem no race explains: it is raised.</summary>
    private const int AttemptsPerLine = 3;

    public async Task<ImportSummary> ImportAsync(Stream statementXml, string source, CancellationToken cancellationToken)
    {
        var statement = BankStatementParser.Parse(statementXml);
        var account = statement.AccountIban ?? "";
        var tally = new ImportTally();
        var inFile = new HashSet<string>(StringComparer.Ordinal);
        var booked = new List<BankStatementLine>(statement.Lines.Count);
        foreach (var line in statement.Lines)
        {
            // A pending line is not money yet and is not stored: the booked line that follows, often with the same
            // reference, must find no record in its way.
            if (line.Status != "BOOK")
            {
                tally.Pending++;
            }
            else if (!inFile.Add(line.EntryReference))
            {
                tally.AlreadyImported++;
            }
            else
            {
                booked.Add(line);
            }
        }
        foreach (var chunk in booked.Chunk(LinesPerChunk))
        {
            if (!await TryApplyAsync(account, chunk, source, tally, lastAttempt: false, cancellationToken))
            {
                foreach (var line in chunk)
                {
                    await ApplyAloneAsync(account, line, source, tally, cancellationToken);
                }
            }
        }
        return tally.ToSummary(statement.MessageType, statement.Lines.Count);
    }

    private async Task ApplyAloneAsync(string account, BankStatementLine line, string source, ImportTally tally, CancellationToken cancellationToken)
    {
        for (var attempt = 1; !await TryApplyAsync(account, [line], source, tally, lastAttempt: attempt == AttemptsPerLine, cancellationToken); attempt++)
        {
            // Another import wrote this line or paid its purchase after it was read: the next attempt reads again.
        }
    }

    /// <summary>
    /// Reads what the lines need, stages each line (and the payment it makes) and saves them in one transaction.
    /// False when the save hit another writer's line or payment (rolled back, nothing counted); on the last attempt
    /// that failure is raised instead.
    /// </summary>
    private async Task<bool> TryApplyAsync(string account, IReadOnlyList<BankStatementLine> lines, string source, ImportTally tally, bool lastAttempt,
        CancellationToken cancellationToken)
    {
        var known = await KnownReferencesAsync(account, lines, cancellationToken);
        var purchases = await TransferPurchasesByConceptAsync(lines, cancellationToken);
        var staged = new List<string>(lines.Count);
        var rows = new AppendOnlyRows();
        var alreadyImported = 0;
        try
        {
            foreach (var line in lines)
            {
                if (known.Contains(line.EntryReference))
                {
                    alreadyImported++;
                    continue;
                }
                staged.Add(Stage(account, line, source, purchases, rows));
            }
            if (staged.Count > 0)
            {
                // The bank lines and the payments they make commit together: neither is recorded without the other.
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await rows.InsertAsync(db, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException) when (!lastAttempt)
        {
            // A unique reference or a purchase's version another import got to first (on PostgreSQL, possibly a
            // deadlock between two chunks): the transaction rolled back with all of this chunk.
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        tally.AlreadyImported += alreadyImported;
        staged.ForEach(tally.Count);
        return true;
    }

    /// <summary>Adds the line's record and, when it pays a purchase, the payment (its ledger lines and event to
    /// <paramref name="rows"/>); returns the line's status.</summary>
    private string Stage(string account, BankStatementLine line, string source, Dictionary<long, Payment> purchasesByConcept, AppendOnlyRows rows)
    {
        var record = BankLineMatch.Record(account, line, source, clock.GetUtcNow().UtcDateTime);
        db.BankTransactions.Add(record);
        if (!line.IsCredit)
        {
            record.Note = "Outgoing payment.";
            return record.Status;
        }
        // The purchases are tracked and shared by the chunk's lines, so a second line naming a purchase the first
        // just paid finds it paid and is kept for review, as it would be in a later import.
        var candidates = ConceptMatcher.FindCandidates(line.RemittanceInformation)
            .Select(concept => purchasesByConcept.GetValueOrDefault(concept)).OfType<Payment>().Distinct().ToList();
        (record.Status, record.Note, var candidate) = BankLineMatch.Match(line, candidates);
        // The purchase is named on a mismatched line too, so an operator finds it without reading the note.
        record.PaymentId = candidate?.Id;
        if (record.Status == BankTransactionStatuses.Matched)
        {
            var holder = JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["method"] = "transfer", ["name"] = line.DebtorName, ["iban"] = line.DebtorIban, ["bank_reference"] = line.EntryReference,
            });
            lifecycle.StagePaymentReceived(candidate!, holder, rows);
        }
        return record.Status;
    }

    private async Task<HashSet<string>> KnownReferencesAsync(string account, IReadOnlyList<BankStatementLine> lines, CancellationToken cancellationToken)
    {
        var references = lines.Select(l => l.EntryReference).ToList();
        var known = await db.BankTransactions.AsNoTracking()
            .Where(t => t.AccountIban == account && references.Contains(t.EntryReference)).Select(t => t.EntryReference).ToListAsync(cancellationToken);
        return known.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The transfer purchases the credit lines name, tracked: a matched line changes its purchase in place.</summary>
    private async Task<Dictionary<long, Payment>> TransferPurchasesByConceptAsync(IReadOnlyList<BankStatementLine> lines, CancellationToken cancellationToken)
    {
        var concepts = lines.Where(l => l.IsCredit).SelectMany(l => ConceptMatcher.FindCandidates(l.RemittanceInformation)).Distinct().ToList();
        if (concepts.Count == 0)
        {
            return [];
        }
        // A concept belongs to one purchase at most (unique index).
        return await db.Payments.Where(p => concepts.Contains(p.Concept) && p.PaymentType == PaymentTypes.Transfer)
            .ToDictionaryAsync(p => p.Concept, cancellationToken);
    }

    /// <summary>An operator saw the money arrive (on a statement not imported, say) and records it by hand.</summary>
    public async Task<Payment> ReceiveManuallyAsync(string paymentId, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken)
            ?? throw new OperatorException($"No purchase with id '{paymentId}'.");
        if (payment.PaymentType != PaymentTypes.Transfer)
        {
            throw new OperatorException($"Purchase {paymentId} is paid by {payment.PaymentType}, not by bank transfer.");
        }
        if (!payment.AwaitsPayment)
        {
            throw new OperatorException($"Purchase {paymentId} is {payment.Status}; only started or pending_bank purchases can be received.");
        }
        if (payment.Wallet is null)
        {
            throw new OperatorException($"Purchase {paymentId} has no destination wallet yet (the customer has not finished the gateway).");
        }
        var holder = JsonSerializer.Serialize(new Dictionary<string, string> { ["method"] = "transfer", ["source"] = "operator" });
        await lifecycle.RecordPaymentReceivedAsync(payment, holder, cancellationToken);
        return payment;
    }

    public async Task<IReadOnlyList<BankTransaction>> ListAsync(string? status, CancellationToken cancellationToken) =>
        await db.BankTransactions.AsNoTracking().Where(t => status == null || t.Status == status)
            .OrderBy(t => t.Id).Take(1000).ToListAsync(cancellationToken);
}
