using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>
/// The last block the deposit watcher has fully read on a chain. It moves with the deposits found in the same
/// transaction, and only if nobody moved it meanwhile, so two watchers never skip or double a range.
/// </summary>
public sealed class ChainScanCursor
{
    public required string Chain { get; init; }
    public long LastBlock { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ChainScanCursorConfiguration : IEntityTypeConfiguration<ChainScanCursor>
{
    public void Configure(EntityTypeBuilder<ChainScanCursor> builder)
    {
        builder.HasKey(c => c.Chain);
        builder.Property(c => c.Chain).HasMaxLength(40);
    }
}
