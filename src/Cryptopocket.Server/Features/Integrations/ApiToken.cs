using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Integrations;

/// <summary>An issued <c>auth</c> token. Only its SHA-256 is stored, so a database leak yields no usable token.</summary>
public sealed class ApiToken
{
    public long Id { get; set; }
    public int IntegrationId { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.IntegrationId);
        builder.HasOne<Integration>().WithMany().HasForeignKey(t => t.IntegrationId).OnDelete(DeleteBehavior.Cascade);
    }
}
