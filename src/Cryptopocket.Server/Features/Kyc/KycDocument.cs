using Cryptopocket.Server.Features.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Kyc;

/// <summary>A file the customer uploaded on the hosted KYC page (document front, back, selfie).</summary>
public sealed class KycDocument
{
    public long Id { get; set; }
    public long CustomerId { get; set; }
    public required string Kind { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    public required string Sha256 { get; set; }
    public DateTime UploadedAt { get; set; }
}

internal sealed class KycDocumentConfiguration : IEntityTypeConfiguration<KycDocument>
{
    public void Configure(EntityTypeBuilder<KycDocument> builder)
    {
        builder.HasOne<Customer>().WithMany().HasForeignKey(d => d.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => d.CustomerId);
        builder.Property(d => d.Kind).HasMaxLength(20);
        builder.Property(d => d.ContentType).HasMaxLength(100);
        builder.Property(d => d.Sha256).HasMaxLength(64);
    }
}
