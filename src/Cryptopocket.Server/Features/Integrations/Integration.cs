using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Integrations;

/// <summary>A partner: the owner of an api_key/api_secret pair and of every customer and purchase it creates.</summary>
public sealed class Integration
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string ApiKey { get; set; }

    /// <summary>SHA-256 of the secret, for checking it at authentication (the secret is 256 random bits).</summary>
    public required string SecretHash { get; set; }

    /// <summary>The secret itself, encrypted with Data Protection: it is the webhook HMAC key.</summary>
    public required string SecretProtected { get; set; }

    public bool Disabled { get; set; }

    /// <summary>Comma-separated IP addresses or CIDR ranges; empty means any address.</summary>
    public string AllowedIps { get; set; } = "";

    /// <summary>Comma-separated payment types this integration may use.</summary>
    public string AllowedPaymentMethods { get; set; } = "card,psd2,transfer";

    /// <summary>The partner's own markup, in percent of the fiat amount.</summary>
    public decimal PartnerFeePercent { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime SecretRotatedAt { get; set; }

    /// <summary>The one reading of <see cref="AllowedPaymentMethods"/>, wherever it is needed.</summary>
    public static IReadOnlyList<string> ParseMethods(string allowedPaymentMethods) =>
        allowedPaymentMethods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class IntegrationConfiguration : IEntityTypeConfiguration<Integration>
{
    public void Configure(EntityTypeBuilder<Integration> builder)
    {
        builder.Property(i => i.Name).HasMaxLength(100);
        builder.HasIndex(i => i.Name).IsUnique();
        builder.Property(i => i.ApiKey).HasMaxLength(64);
        builder.HasIndex(i => i.ApiKey).IsUnique();
        builder.Property(i => i.SecretHash).HasMaxLength(64);
        builder.Property(i => i.SecretProtected).HasMaxLength(1000);
        builder.Property(i => i.AllowedIps).HasMaxLength(1000);
        builder.Property(i => i.AllowedPaymentMethods).HasMaxLength(200);
        builder.Property(i => i.PartnerFeePercent).HasPrecision(9, 4);
    }
}
