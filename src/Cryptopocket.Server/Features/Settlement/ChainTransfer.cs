using Cryptopocket.Server.Features.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Settlement;

public static class ChainTransferStatuses
{
    /// <summary>Signed and recorded, maybe broadcast: after a crash it is broadcast again (the same bytes, harmless).</summary>
    public const string Recorded = "signed";

    /// <summary>The node accepted it; waiting to be mined and confirmed.</summary>
    public const string Broadcast = "broadcast";

    public const string Confirmed = "confirmed";

    /// <summary>Mined and reverted: the tokens did not move; an operator must look (the nonce is spent).</summary>
    public const string Reverted = "reverted";
}

/// <summary>
/// One on-chain delivery for one purchase, recorded with its nonce, recipient, amount and signed bytes BEFORE it is
/// broadcast. Unique per purchase and per (chain, wallet, nonce, leg): two workers can never send a purchase twice,
/// and since every transaction has a leg 0, two workers recording different transactions for one nonce clash there.
/// A stuck transaction is replaced in place (same nonce, same content, higher fee), keeping every hash it has had so
/// that whichever one is mined is found.
/// <para>
/// A batched payout (one Disperse call paying several purchases) is one row per purchase, its legs: they share the
/// nonce, hash, fees, gas limit, previous hashes and status, and are always changed together in one database
/// transaction, so a reader never sees the legs of one transaction disagree. Only leg 0 holds the signed bytes.
/// </para>
/// </summary>
public sealed class ChainTransfer
{
    public long Id { get; init; }
    public required string PaymentId { get; init; }
    public required string Chain { get; init; }
    public long ChainId { get; init; }
    public required string FromAddress { get; init; }
    public required string ToAddress { get; init; }
    public required string Asset { get; init; }

    /// <summary>The ERC-20 contract; null for the chain's native coin.</summary>
    public string? TokenContract { get; init; }

    /// <summary>The amount in the asset's base units, as decimal digits (uint256 does not fit a column type).</summary>
    public required string AmountBaseUnits { get; init; }

    public long Nonce { get; init; }

    /// <summary>0 for a transaction of its own; within a batch, this purchase's place in the Disperse call's arrays.</summary>
    public int Leg { get; init; }

    /// <summary>
    /// The Disperse contract the transaction calls, null for a plain transfer. Recorded, not read from configuration
    /// again, so a fee replacement re-signs exactly the same call even if the setting changed meanwhile.
    /// </summary>
    public string? DisperseContract { get; init; }
    public required string Status { get; set; }
    public required string TxHash { get; set; }

    /// <summary>Hashes of earlier versions of this transaction (replaced with a higher fee), comma-separated.</summary>
    public string PreviousHashes { get; set; } = "";

    /// <summary>
    /// The signed transaction, as broadcast. On a batch only leg 0 holds it and the other legs hold "": a 100-leg call
    /// is some 13 kB, and a copy in every leg was 1.3 MB written per batch and read back by every round that looked at it.
    /// </summary>
    public required string RawTransaction { get; set; }
    public required string MaxFeePerGas { get; set; }
    public required string MaxPriorityFeePerGas { get; set; }
    public long GasLimit { get; init; }
    public int Replacements { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime LastBroadcastAt { get; set; }
    public long? BlockNumber { get; set; }
    public string? MinedHash { get; set; }
    public string? Error { get; set; }
    public int Version { get; set; }

    public IEnumerable<string> AllHashes => PreviousHashes.Split(',', StringSplitOptions.RemoveEmptyEntries).Append(TxHash);
}

internal sealed class ChainTransferConfiguration : IEntityTypeConfiguration<ChainTransfer>
{
    public const int RawTransactionMaxLength = 20_000;

    public void Configure(EntityTypeBuilder<ChainTransfer> builder)
    {
        builder.HasOne<Payment>().WithMany().HasForeignKey(t => t.PaymentId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(t => t.PaymentId).HasMaxLength(25);
        builder.HasIndex(t => t.PaymentId).IsUnique();
        builder.Property(t => t.Chain).HasMaxLength(40);
        builder.Property(t => t.FromAddress).HasMaxLength(42);
        builder.HasIndex(t => new { t.ChainId, t.FromAddress, t.Nonce, t.Leg }).IsUnique();
        builder.Property(t => t.ToAddress).HasMaxLength(42);
        builder.Property(t => t.Asset).HasMaxLength(20);
        builder.Property(t => t.TokenContract).HasMaxLength(42);
        builder.Property(t => t.DisperseContract).HasMaxLength(42);
        builder.Property(t => t.AmountBaseUnits).HasMaxLength(80);
        builder.Property(t => t.Status).HasMaxLength(20);
        builder.HasIndex(t => new { t.Status, t.Chain });
        builder.Property(t => t.TxHash).HasMaxLength(66);
        builder.Property(t => t.PreviousHashes).HasMaxLength(2000);
        // A batch of ChainSettlement.LegsPerTransaction legs is about 13,200 hex digits of call data.
        builder.Property(t => t.RawTransaction).HasMaxLength(RawTransactionMaxLength);
        builder.Property(t => t.MaxFeePerGas).HasMaxLength(80);
        builder.Property(t => t.MaxPriorityFeePerGas).HasMaxLength(80);
        builder.Property(t => t.MinedHash).HasMaxLength(66);
        builder.Property(t => t.Error).HasMaxLength(500);
        builder.Property(t => t.Version).IsConcurrencyToken();
    }
}
