using System.Text.Json;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Banking.Statements;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Payments;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Banking;

public sealed record ImportSummary(string MessageType, int Lines, int Matched, int Unmatched, int Mismatched, int Ignored, int Pending, int AlreadyImported);

/// <summary>
/// Matches incoming SEPA transfers to transfer purchases by concept and exact amount. A line that does not fit one
/// purchase exactly is kept for an operator to review, never guessed; a line seen before is skipped, so importing a
/// statement twice changes nothing.
/// </summary>
public sealed class BankReconciliation(AppDbContext db, PaymentLifecycle lifecycle, TimeProvider clock)
{
    public async Task<ImportSummary> ImportAsync(Stream statementXml, string source, CancellationToken cancellationToken)
    {
        var statement = BankStatementParser.Parse(statementXml);
        int matched = 0, unmatched = 0, mismatched = 0, ignored = 0, pending = 0, duplicate = 0;
        var account = statement.AccountIban ?? "";
        // Read up front, a chunk of references and concepts per query, rather than twice per line: a statement of
        // thousands of lines is then a few queries plus one write per line.
        var booked = statement.Lines.Where(l => l.Status == "BOOK").ToList();
        var seen = await KnownReferencesAsync(account, booked.Select(l => l.EntryReference).Distinct().ToList(), cancellationToken);
        var purchasesByConcept = await TransferPurchasesByConceptAsync(
            booked.Where(l => l.IsCredit).SelectMany(l => ConceptMatcher.FindCandidates(l.RemittanceInformation)).Distinct().ToList(), cancellationToken);
        foreach (var line in statement.Lines)
        {
            // A pending line is not money yet and is not stored: the booked line that follows, often with the same
            // reference, must find no record in its way.
            if (line.Status != "BOOK")
            {
                pending++;
                continue;
            }
            if (!seen.Add(line.EntryReference))
            {
                duplicate++;
                continue;
            }
            var status = await ReconcileLineAsync(account, line, source, purchasesByConcept, cancellationToken);
            switch (status)
            {
                case BankTransactionStatuses.Matched: matched++; break;
                case BankTransactionStatuses.Unmatched: unmatched++; break;
                case BankTransactionStatuses.Mismatched: mismatched++; break;
                default: ignored++; break;
            }
        }
        return new ImportSummary(statement.MessageType, statement.Lines.Count, matched, unmatched, mismatched, ignored, pending, duplicate);
    }

    private async Task<HashSet<string>> KnownReferencesAsync(string account, List<string> references, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in references.Chunk(500))
        {
            known.UnionWith(await db.BankTransactions.AsNoTracking()
                .Where(t => t.AccountIban == account && chunk.Contains(t.EntryReference)).Select(t => t.EntryReference).ToListAsync(cancellationToken));
        }
        return known;
    }

    /// <summary>Transfer purchases' ids by concept: which purchase a line names. Their state is read again when a line is applied.</summary>
    private async Task<ILookup<long, string>> TransferPurchasesByConceptAsync(List<long> concepts, CancellationToken cancellationToken)
    {
        var found = new List<(long Concept, string Id)>();
        foreach (var chunk in concepts.Chunk(500))
        {
            var rows = await db.Payments.AsNoTracking().Where(p => chunk.Contains(p.Concept) && p.PaymentType == PaymentTypes.Transfer)
                .Select(p => new { p.Concept, p.Id }).ToListAsync(cancellationToken);
            found.AddRange(rows.Select(r => (r.Concept, r.Id)));
        }
        return found.ToLookup(r => r.Concept, r => r.Id);
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

    private async Task<string> ReconcileLineAsync(string account, BankStatementLine line, string source, ILookup<long, string> purchasesByConcept,
        CancellationToken cancellationToken)
    {
        var record = new BankTransaction
        {
            AccountIban = account,
            EntryReference = line.EntryReference,
            Amount = line.Amount,
            Currency = line.Currency,
            IsCredit = line.IsCredit,
            BookingStatus = line.Status,
            BookingDate = line.BookingDate,
            RemittanceInformation = Truncate(line.RemittanceInformation, 1000),
            DebtorName = Truncate(line.DebtorName, 200),
            DebtorIban = Truncate(line.DebtorIban, 34),
            Status = BankTransactionStatuses.Ignored,
            Source = Truncate(source, 300)!,
            ImportedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.BankTransactions.Add(record);

        Payment? payment = null;
        if (!line.IsCredit)
        {
            record.Note = "Outgoing payment.";
        }
        else
        {
            var ids = ConceptMatcher.FindCandidates(line.RemittanceInformation).SelectMany(c => purchasesByConcept[c]).Distinct().ToList();
            var candidates = ids.Count == 0 ? [] : await db.Payments.Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
            (record.Status, record.Note, var candidate) = Match(line, candidates);
            // The purchase is named on a mismatched line too, so an operator finds it without reading the note.
            record.PaymentId = candidate?.Id;
            payment = record.Status == BankTransactionStatuses.Matched ? candidate : null;
        }

        if (payment is not null)
        {
            var holder = JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["method"] = "transfer", ["name"] = line.DebtorName, ["iban"] = line.DebtorIban, ["bank_reference"] = line.EntryReference,
            });
            // The bank line and the purchase's payment commit together: neither is recorded without the other.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await lifecycle.RecordPaymentReceivedAsync(payment, holder, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        return record.Status;
    }

    private static (string Status, string? Note, Payment? Payment) Match(BankStatementLine line, List<Payment> candidates)
    {
        if (candidates.Count == 0)
        {
            return (BankTransactionStatuses.Unmatched, "No transfer purchase carries a concept found in the remittance information.", null);
        }
        if (candidates.Count > 1)
        {
            return (BankTransactionStatuses.Mismatched, $"Several purchases match: {string.Join(", ", candidates.Select(c => c.Id))}.", null);
        }
        var payment = candidates[0];
        if (line.Currency != payment.FiatSymbol || line.Amount != payment.FiatAmount)
        {
            return (BankTransactionStatuses.Mismatched,
                $"Purchase {payment.Id} expects {Infrastructure.Money.Fiat(payment.FiatAmount)} {payment.FiatSymbol}; received {line.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} {line.Currency}.", payment);
        }
        if (!payment.AwaitsPayment || payment.Wallet is null)
        {
            return (BankTransactionStatuses.Mismatched, $"Purchase {payment.Id} is {payment.Status}{(payment.Wallet is null ? " without a wallet" : "")}; refund or apply by hand.", payment);
        }
        return (BankTransactionStatuses.Matched, null, payment);
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
