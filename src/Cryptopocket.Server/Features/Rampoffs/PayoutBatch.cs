using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>
/// One pain.001 file handed to the operator's bank. Its payouts point at it (<see cref="Rampoff.PayoutBatchId"/>), so
/// the same file can be written again byte for byte if it is lost, and a confirmation settles exactly its payouts.
/// </summary>
public sealed class PayoutBatch
{
    /// <summary>The file's MsgId (and PmtInfId): at most 35 characters, unique.</summary>
    public required string Id { get; init; }

    public DateTime CreatedAt { get; init; }
    public DateOnly ExecutionDate { get; init; }
    public int Count { get; init; }
    public long TotalCents { get; init; }
    public DateTime? ConfirmedAt { get; set; }
}

internal sealed class PayoutBatchConfiguration : IEntityTypeConfiguration<PayoutBatch>
{
    public void Configure(EntityTypeBuilder<PayoutBatch> builder)
    {
        builder.Property(b => b.Id).HasMaxLength(35);
    }
}
