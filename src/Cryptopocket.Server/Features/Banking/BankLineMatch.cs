using System.Globalization;
using Cryptopocket.Server.Features.Banking.Statements;
using Cryptopocket.Server.Features.Payments;

namespace Cryptopocket.Server.Features.Banking;

/// <summary>
/// Decides what a booked credit line is to the purchases its remittance text names: it pays exactly one purchase
/// awaiting that exact amount, or it is kept for an operator with the reason. Nothing is guessed.
/// </summary>
internal static class BankLineMatch
{
    public static (string Status, string? Note, Payment? Payment) Match(BankStatementLine line, IReadOnlyList<Payment> candidates)
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
                $"Purchase {payment.Id} expects {Infrastructure.Money.Fiat(payment.FiatAmount)} {payment.FiatSymbol}; received {line.Amount.ToString(CultureInfo.InvariantCulture)} {line.Currency}.", payment);
        }
        if (!payment.AwaitsPayment || payment.Wallet is null)
        {
            return (BankTransactionStatuses.Mismatched, $"Purchase {payment.Id} is {payment.Status}{(payment.Wallet is null ? " without a wallet" : "")}; refund or apply by hand.", payment);
        }
        return (BankTransactionStatuses.Matched, null, payment);
    }

    /// <summary>The stored line, before matching decides its status.</summary>
    public static BankTransaction Record(string account, BankStatementLine line, string source, DateTime now) => new()
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
        ImportedAt = now,
    };

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
