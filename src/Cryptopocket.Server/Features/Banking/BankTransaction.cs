using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Banking;

public static class BankTransactionStatuses
{
    /// <summary>Paid a purchase.</summary>
    public const string Matched = "matched";

    /// <summary>No purchase carries the concept: kept for an operator, never guessed.</summary>
    public const string Unmatched = "unmatched";

    /// <summary>A purchase carries the concept but the amount, currency or its status do not fit.</summary>
    public const string Mismatched = "mismatched";

    /// <summary>An outgoing booked line: recorded, not acted on.</summary>
    public const string Ignored = "ignored";
}

/// <summary>A line of an imported bank statement, kept whatever became of it so nothing is lost or counted twice.</summary>
public sealed class BankTransaction
{
    public long Id { get; init; }

    /// <summary>The statement's account ("" when the file names none): bank references are unique per account only.</summary>
    public required string AccountIban { get; init; }

    /// <summary>The bank's own reference: importing the same statement twice changes nothing.</summary>
    public required string EntryReference { get; init; }

    public decimal Amount { get; init; }
    public required string Currency { get; init; }
    public bool IsCredit { get; init; }
    public required string BookingStatus { get; init; }
    public DateOnly? BookingDate { get; init; }
    public string? RemittanceInformation { get; init; }
    public string? DebtorName { get; init; }
    public string? DebtorIban { get; init; }
    public required string Status { get; set; }
    public string? PaymentId { get; set; }
    public string? Note { get; set; }
    public required string Source { get; init; }
    public DateTime ImportedAt { get; init; }
}

internal sealed class BankTransactionConfiguration : IEntityTypeConfiguration<BankTransaction>
{
    public void Configure(EntityTypeBuilder<BankTransaction> builder)
    {
        builder.Property(t => t.AccountIban).HasMaxLength(34);
        builder.Property(t => t.EntryReference).HasMaxLength(200);
        builder.HasIndex(t => new { t.AccountIban, t.EntryReference }).IsUnique();
        builder.Property(t => t.Amount).HasPrecision(18, 2);
        builder.Property(t => t.Currency).HasMaxLength(3);
        builder.Property(t => t.BookingStatus).HasMaxLength(10);
        builder.Property(t => t.RemittanceInformation).HasMaxLength(1000);
        builder.Property(t => t.DebtorName).HasMaxLength(200);
        builder.Property(t => t.DebtorIban).HasMaxLength(34);
        builder.Property(t => t.Status).HasMaxLength(20);
        builder.HasIndex(t => t.Status);
        builder.Property(t => t.PaymentId).HasMaxLength(25);
        builder.Property(t => t.Note).HasMaxLength(500);
        builder.Property(t => t.Source).HasMaxLength(300);
    }
}
