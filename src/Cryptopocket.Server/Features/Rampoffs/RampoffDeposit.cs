using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Rampoffs;

public static class DepositDispositions
{
    /// <summary>Counted towards its operation's amount.</summary>
    public const string Credited = "credited";

    /// <summary>
    /// Kept for the customer but not converted: it arrived after the operation closed, was of another coin, or was
    /// beyond what was asked. An operator returns it; until then it is a liability in the ledger.
    /// </summary>
    public const string Held = "held";
}

/// <summary>
/// One confirmed transfer into a deposit address, as the chain recorded it. Unique per (chain, transaction, log
/// index): re-reading a block, a restart mid-round or two watchers on one database can never count a deposit twice.
/// </summary>
public sealed class RampoffDeposit
{
    public long Id { get; init; }
    public required string RampoffId { get; init; }
    public required string Chain { get; init; }
    public required string TxHash { get; init; }

    /// <summary>The Transfer log's index in its block; -1 for the native coin sent as the transaction's value.</summary>
    public int LogIndex { get; init; }

    public long BlockNumber { get; init; }
    public required string FromAddress { get; init; }
    public required string ToAddress { get; init; }
    public required string Asset { get; init; }
    public string? TokenContract { get; init; }
    public required string AmountBaseUnits { get; init; }
    public decimal Amount { get; init; }
    public required string Disposition { get; init; }

    /// <summary>Why a held deposit was not converted: late, wrong_asset, excess.</summary>
    public string? HeldReason { get; init; }

    /// <summary>The sweep that took it to the treasury; null until one is sent (and again if that one failed).</summary>
    public long? SweepId { get; set; }

    public DateTime DetectedAt { get; init; }
}

internal sealed class RampoffDepositConfiguration : IEntityTypeConfiguration<RampoffDeposit>
{
    public void Configure(EntityTypeBuilder<RampoffDeposit> builder)
    {
        builder.Property(d => d.RampoffId).HasMaxLength(25);
        builder.HasOne<Rampoff>().WithMany().HasForeignKey(d => d.RampoffId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(d => d.Chain).HasMaxLength(40);
        builder.Property(d => d.TxHash).HasMaxLength(66);
        builder.HasIndex(d => new { d.Chain, d.TxHash, d.LogIndex }).IsUnique();
        builder.Property(d => d.FromAddress).HasMaxLength(42);
        builder.Property(d => d.ToAddress).HasMaxLength(42);
        builder.HasIndex(d => new { d.Chain, d.ToAddress, d.SweepId });
        builder.Property(d => d.Asset).HasMaxLength(20);
        builder.Property(d => d.TokenContract).HasMaxLength(42);
        builder.Property(d => d.AmountBaseUnits).HasMaxLength(80);
        builder.Property(d => d.Amount).HasPrecision(38, 18);
        builder.Property(d => d.Disposition).HasMaxLength(20);
        builder.Property(d => d.HeldReason).HasMaxLength(40);
        builder.HasIndex(d => d.RampoffId);
    }
}
