using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>
/// A sale of crypto for EUR. It locks its quote (rate, fees, payout) when created and gets its own deposit address;
/// status changes only through the transition methods, which refuse illegal moves so a re-scanned block or a second
/// confirm can neither move an operation backwards nor pay it out twice.
/// </summary>
public sealed class Rampoff : Infrastructure.Listing.IListedRow
{
    public required string Id { get; init; }
    public int IntegrationId { get; init; }
    public long CustomerId { get; init; }
    public string? ExternalId { get; init; }
    public required string Chain { get; init; }
    public required string CoinSymbol { get; init; }
    public int Decimals { get; init; }

    /// <summary>What the customer said they would send, in coin units (exact: decimal(38,18)).</summary>
    public decimal Amount { get; init; }

    /// <summary>Confirmed deposits of the right coin counted towards this operation while it was open.</summary>
    public decimal ReceivedAmount { get; private set; }

    /// <summary>What was converted: <see cref="Amount"/>, or less when a short deposit was settled at the deadline.</summary>
    public decimal ConvertedAmount { get; private set; }

    public required string FiatSymbol { get; init; }

    /// <summary>Fiat per coin unit, locked at creation.</summary>
    public decimal Rate { get; init; }

    /// <summary>The integration's fee at creation: a short deposit settled later is charged what was agreed.</summary>
    public decimal PartnerFeePercent { get; init; }

    public long GrossFiatCents { get; private set; }
    public long ProcessingFeeCents { get; private set; }
    public long NetworkFeeCents { get; private set; }
    public long PartnerFeeCents { get; private set; }

    /// <summary>What the customer is paid: gross minus fees, in cents.</summary>
    public long FiatAmountCents { get; private set; }

    public required string Iban { get; init; }
    public string? BankName { get; init; }

    /// <summary>The account holder written in the payout (the customer's registered name).</summary>
    public required string HolderName { get; init; }

    /// <summary>The unique CREATE2 deposit address (EIP-55) and the salt that derives it from the factory.</summary>
    public required string DepositAddress { get; init; }

    public required string DepositSalt { get; init; }
    public required string DepositFactory { get; init; }

    public string Status { get; private set; } = RampoffStatuses.WaitingCrypto;
    public string? FailureReason { get; private set; }

    /// <summary>The message id of the pain.001 file the payout left in (production rail).</summary>
    public string? PayoutBatchId { get; private set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>The end of the deposit window; the quote holds until then.</summary>
    public DateTime DepositDeadline { get; init; }

    public DateTime? ReceivedAt { get; private set; }
    public DateTime? FinishedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency: two instances crediting or paying the same operation cannot both win.</summary>
    public int Version { get; private set; }

    public decimal FiatAmount => FiatAmountCents / 100m;
    public long TotalFeeCents => ProcessingFeeCents + NetworkFeeCents + PartnerFeeCents;
    public bool IsOpen => Status == RampoffStatuses.WaitingCrypto;

    public void LockQuote(RampoffQuoteBreakdown quote)
    {
        Require(Status == RampoffStatuses.WaitingCrypto && ReceivedAt is null, "lock a quote");
        Apply(quote);
    }

    /// <summary>Counts a confirmed deposit of the right coin; answers the part beyond what was asked (the excess), if any.</summary>
    public decimal Credit(decimal amount, DateTime now)
    {
        Require(IsOpen, "credit a deposit");
        var room = Amount - ReceivedAmount;
        ReceivedAmount += amount;
        Touch(now);
        return amount > room ? amount - Math.Max(room, 0) : 0;
    }

    public bool IsFullyFunded => ReceivedAmount >= Amount;

    /// <summary>Enough arrived (or the deadline settled a short deposit with <paramref name="quote"/>): the payout is owed.</summary>
    public void MarkCryptoReceived(RampoffQuoteBreakdown quote, DateTime now)
    {
        Require(IsOpen && ReceivedAmount > 0, "mark crypto received");
        Apply(quote);
        Status = RampoffStatuses.CryptoReceived;
        ReceivedAt = now;
        Touch(now);
    }

    public void Expire(DateTime now)
    {
        Require(IsOpen && ReceivedAmount == 0, "expire");
        Status = RampoffStatuses.Expired;
        FailureReason = "no_deposit";
        Touch(now);
    }

    /// <summary>A short deposit too small to pay out at the deadline: the crypto is held for an operator to return.</summary>
    public void Reject(string reason, DateTime now)
    {
        Require(IsOpen, "reject");
        Status = RampoffStatuses.Rejected;
        FailureReason = reason;
        Touch(now);
    }

    public void MarkPayoutSent(string batchId, DateTime now)
    {
        Require(Status == RampoffStatuses.CryptoReceived, "send the payout");
        Status = RampoffStatuses.PayoutSent;
        PayoutBatchId = batchId;
        Touch(now);
    }

    /// <summary>The bank returned or refused the payout: it is owed again and goes into the next file.</summary>
    public void ReopenPayout(string reason, DateTime now)
    {
        Require(Status == RampoffStatuses.PayoutSent, "reopen the payout");
        Status = RampoffStatuses.CryptoReceived;
        PayoutBatchId = null;
        FailureReason = reason;
        Touch(now);
    }

    public void MarkFinished(DateTime now)
    {
        Require(Status is RampoffStatuses.CryptoReceived or RampoffStatuses.PayoutSent, "finish");
        Status = RampoffStatuses.Finished;
        FailureReason = null;
        FinishedAt = now;
        Touch(now);
    }

    private void Apply(RampoffQuoteBreakdown quote)
    {
        ConvertedAmount = quote.Amount;
        GrossFiatCents = quote.GrossFiatCents;
        ProcessingFeeCents = quote.ProcessingFeeCents;
        NetworkFeeCents = quote.NetworkFeeCents;
        PartnerFeeCents = quote.PartnerFeeCents;
        FiatAmountCents = quote.FiatAmountCents;
    }

    private void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }

    private void Require(bool condition, string action)
    {
        if (!condition)
        {
            throw new IllegalRampoffTransitionException($"Cannot {action}: off-ramp operation {Id} is {Status}.");
        }
    }
}

public sealed class IllegalRampoffTransitionException(string message) : InvalidOperationException(message);

internal sealed class RampoffConfiguration : IEntityTypeConfiguration<Rampoff>
{
    public void Configure(EntityTypeBuilder<Rampoff> builder)
    {
        builder.Property(r => r.Id).HasMaxLength(25);
        builder.HasOne<Integration>().WithMany().HasForeignKey(r => r.IntegrationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.ExternalId).HasMaxLength(100);
        builder.HasIndex(r => new { r.IntegrationId, r.ExternalId }).IsUnique();
        builder.HasIndex(r => new { r.IntegrationId, r.CreatedAt });
        builder.Property(r => r.Chain).HasMaxLength(40);
        builder.Property(r => r.CoinSymbol).HasMaxLength(20);
        builder.Property(r => r.Amount).HasPrecision(38, 18);
        builder.Property(r => r.ReceivedAmount).HasPrecision(38, 18);
        builder.Property(r => r.ConvertedAmount).HasPrecision(38, 18);
        builder.Property(r => r.FiatSymbol).HasMaxLength(3);
        builder.Property(r => r.Rate).HasPrecision(38, 18);
        builder.Property(r => r.PartnerFeePercent).HasPrecision(9, 4);
        builder.Property(r => r.Iban).HasMaxLength(34);
        builder.Property(r => r.BankName).HasMaxLength(100);
        builder.Property(r => r.HolderName).HasMaxLength(200);
        builder.Property(r => r.DepositAddress).HasMaxLength(42);
        builder.HasIndex(r => new { r.Chain, r.DepositAddress }).IsUnique();
        builder.Property(r => r.DepositSalt).HasMaxLength(66);
        builder.Property(r => r.DepositFactory).HasMaxLength(42);
        builder.Property(r => r.Status).HasMaxLength(20);
        builder.HasIndex(r => new { r.Chain, r.Status });
        builder.Property(r => r.FailureReason).HasMaxLength(200);
        builder.Property(r => r.PayoutBatchId).HasMaxLength(35);
        builder.HasIndex(r => r.PayoutBatchId);
        builder.Property(r => r.Version).IsConcurrencyToken();
    }
}
