using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Settlement;

/// <summary>Something an operator must act on (a hot wallet running dry, a reverted transfer). One open alert per key.</summary>
public sealed class OperatorAlert
{
    public long Id { get; init; }

    /// <summary>Identifies the condition, e.g. <c>hot_wallet_low:polygon:USDC</c>; it is raised once until resolved.</summary>
    public required string Key { get; init; }

    public required string Message { get; set; }
    public DateTime RaisedAt { get; init; }
    public DateTime LastSeenAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
}

internal sealed class OperatorAlertConfiguration : IEntityTypeConfiguration<OperatorAlert>
{
    public void Configure(EntityTypeBuilder<OperatorAlert> builder)
    {
        builder.Property(a => a.Key).HasMaxLength(200);
        builder.HasIndex(a => new { a.Key, a.ResolvedAt });
        builder.Property(a => a.Message).HasMaxLength(1000);
    }
}
