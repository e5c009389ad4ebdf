using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Ledger;

/// <summary>
/// One line of the append-only double-entry ledger. Debits are positive, credits negative; every posting's lines
/// sum to zero per asset, so EUR and crypto legs of one purchase balance separately (joined by trading accounts).
/// </summary>
public sealed class LedgerEntry
{
    public long Id { get; init; }

    /// <summary>Groups the lines of one posting, e.g. <c>payment:{id}:received</c>; unique per posting.</summary>
    public required string PostingId { get; init; }

    public required string Account { get; init; }
    public required string Asset { get; init; }
    public decimal Amount { get; init; }
    public string? PaymentId { get; init; }
    public DateTime CreatedAt { get; init; }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.Property(e => e.PostingId).HasMaxLength(100);
        builder.HasIndex(e => e.PostingId);
        builder.Property(e => e.Account).HasMaxLength(100);
        builder.HasIndex(e => new { e.Account, e.Asset });
        builder.Property(e => e.Asset).HasMaxLength(20);
        builder.Property(e => e.Amount).HasPrecision(38, 18);
        builder.Property(e => e.PaymentId).HasMaxLength(25);
        builder.HasIndex(e => e.PaymentId);
    }
}
