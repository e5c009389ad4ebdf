using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Rampoffs;

public static class SweepStatuses
{
    public const string Broadcast = "broadcast";
    public const string Confirmed = "confirmed";

    /// <summary>Reverted or never mined: its deposits are swept again by a new sweep.</summary>
    public const string Failed = "failed";
}

/// <summary>
/// One sweep transaction: the sweeper account asks the deposit factory to move everything at one deposit address to
/// the treasury. Recorded (nonce, signed bytes, hash) before it is broadcast. A sweep moves balances, not amounts, so
/// a second one is harmless (it moves what is left, maybe nothing); the ledger posts what the receipt says moved.
/// </summary>
public sealed class DepositSweep
{
    public long Id { get; init; }
    public required string Chain { get; init; }
    public long ChainId { get; init; }
    public required string DepositAddress { get; init; }
    public required string FromAddress { get; init; }
    public long Nonce { get; init; }
    public required string TxHash { get; init; }
    public required string RawTransaction { get; init; }
    public required string Status { get; set; }
    public long? BlockNumber { get; set; }
    public string? Error { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime LastBroadcastAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }
}

internal sealed class DepositSweepConfiguration : IEntityTypeConfiguration<DepositSweep>
{
    public void Configure(EntityTypeBuilder<DepositSweep> builder)
    {
        builder.Property(s => s.Chain).HasMaxLength(40);
        builder.Property(s => s.DepositAddress).HasMaxLength(42);
        builder.Property(s => s.FromAddress).HasMaxLength(42);
        builder.HasIndex(s => new { s.ChainId, s.FromAddress, s.Nonce }).IsUnique();
        builder.Property(s => s.TxHash).HasMaxLength(66);
        builder.Property(s => s.RawTransaction).HasMaxLength(4000);
        builder.Property(s => s.Status).HasMaxLength(20);
        builder.HasIndex(s => new { s.Chain, s.Status });
        builder.Property(s => s.Error).HasMaxLength(500);
    }
}
