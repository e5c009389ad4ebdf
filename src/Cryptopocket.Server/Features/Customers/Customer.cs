using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Customers;

/// <summary>An end customer registered by one integration. Never visible to any other integration.</summary>
public sealed class Customer
{
    public long Id { get; set; }
    public int IntegrationId { get; set; }
    public required string Email { get; set; }
    public required string Name { get; set; }
    public required string LastName { get; set; }
    public string? LastName2 { get; set; }
    public required string Phone { get; set; }
    public required string Country { get; set; }
    public required string CountryCode { get; set; }
    public required string City { get; set; }
    public required string Address { get; set; }
    public required string AddressState { get; set; }
    public required string Zipcode { get; set; }
    public required string IdentificationType { get; set; }
    public required string IdentificationNumber { get; set; }
    public required string PasswordHash { get; set; }
    public required string ProfessionalActivity { get; set; }
    public DateOnly Dob { get; set; }
    public string? Iban { get; set; }
    public string? CallbackUrl { get; set; }
    public bool Banned { get; set; }

    /// <summary>Enhanced verification done: purchases above the reinforced-KYC threshold are allowed.</summary>
    public bool ReinforcedKyc { get; set; }

    public string KycStatus { get; private set; } = KycStatuses.Unused;
    public string? KycReason { get; private set; }

    /// <summary>The unguessable part of the hosted KYC page's URL.</summary>
    public required string KycToken { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime KycUpdatedAt { get; private set; }

    public bool KycValid => KycStatus == KycStatuses.Valid;

    /// <summary>
    /// The UTC quarter (its first day) that <see cref="CardUseCents"/> counts, or null where it was never kept (a
    /// customer from before it was): then the quarter's card purchases are summed once. Kept by
    /// <see cref="Payments.CardLimit"/>, with the customer's row locked, in the transaction that changes the purchases.
    /// </summary>
    public DateTime? CardUseQuarter { get; set; }

    /// <summary>Card purchases of <see cref="CardUseQuarter"/> that still count against the quarterly card limit, in cents.</summary>
    public long CardUseCents { get; set; }

    /// <summary>The customer submitted the form: the provider now has a case to decide.</summary>
    public void SubmitKyc(DateTime now)
    {
        if (KycStatus is KycStatuses.Valid)
        {
            throw new InvalidOperationException("KYC is already valid.");
        }
        KycStatus = KycStatuses.Processing;
        KycReason = null;
        KycUpdatedAt = now;
    }

    /// <summary>
    /// A decision by the KYC provider or an operator. Operators may overturn an earlier decision (a rejected
    /// customer who appealed, a valid one found to be fraudulent), so any status may move to valid or fail.
    /// </summary>
    public void DecideKyc(bool approved, string? reason, DateTime now)
    {
        KycStatus = approved ? KycStatuses.Valid : KycStatuses.Fail;
        KycReason = approved ? null : reason;
        KycUpdatedAt = now;
    }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.HasOne<Integration>().WithMany().HasForeignKey(c => c.IntegrationId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.Email).HasMaxLength(254);
        builder.HasIndex(c => new { c.IntegrationId, c.Email }).IsUnique();
        builder.HasIndex(c => new { c.IntegrationId, c.IdentificationType, c.IdentificationNumber }).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.LastName).HasMaxLength(100);
        builder.Property(c => c.LastName2).HasMaxLength(100);
        builder.Property(c => c.Phone).HasMaxLength(20);
        builder.Property(c => c.Country).HasMaxLength(100);
        builder.Property(c => c.CountryCode).HasMaxLength(3);
        builder.Property(c => c.City).HasMaxLength(100);
        builder.Property(c => c.Address).HasMaxLength(255);
        builder.Property(c => c.AddressState).HasMaxLength(100);
        builder.Property(c => c.Zipcode).HasMaxLength(20);
        builder.Property(c => c.IdentificationType).HasMaxLength(40);
        builder.Property(c => c.IdentificationNumber).HasMaxLength(40);
        builder.Property(c => c.PasswordHash).HasMaxLength(200);
        builder.Property(c => c.ProfessionalActivity).HasMaxLength(100);
        builder.Property(c => c.Iban).HasMaxLength(34);
        builder.Property(c => c.CallbackUrl).HasMaxLength(2048);
        builder.Property(c => c.KycStatus).HasMaxLength(20);
        builder.Property(c => c.KycReason).HasMaxLength(500);
        builder.Property(c => c.KycToken).HasMaxLength(64);
        builder.HasIndex(c => c.KycToken).IsUnique();
    }
}
