using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cryptopocket.Server.Features.Payments;

/// <summary>The purchase statuses, spelled as the wire reference §5.5 (and the older gateway client) spell them.</summary>
public static class PaymentStatuses
{
    public const string Started = "started";
    public const string PendingBank = "pending_bank";
    public const string PaymentReceived = "payment_received";
    public const string CoinsSent = "coins_sent";
    public const string PaymentRejected = "payment_rejected";
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Started, PendingBank, PaymentReceived, CoinsSent, PaymentRejected, Expired];
}

/// <summary>
/// A purchase of crypto for EUR. It locks its quote (rate, fees, crypto amount, expiry) when created; status changes
/// only through the transition methods, which refuse illegal moves so a replayed form or a late bank line cannot
/// move a purchase backwards or pay it twice.
/// </summary>
public sealed class Payment : Infrastructure.Listing.IListedRow
{
    public required string Id { get; init; }
    public int IntegrationId { get; init; }
    public long CustomerId { get; init; }
    public string? ExternalId { get; init; }
    public bool Guided { get; init; }
    public required string PaymentType { get; set; }
    public required string FiatSymbol { get; init; }

    /// <summary>What the customer pays, in cents: exact, and summable in SQL on both providers.</summary>
    public long FiatAmountCents { get; init; }

    public required string CoinSymbol { get; init; }
    public required string Chain { get; init; }
    public int CoinDecimals { get; init; }
    public decimal CoinAmount { get; set; }
    public decimal Rate { get; init; }
    public long ProcessingFeeCents { get; set; }
    public long NetworkFeeCents { get; init; }
    public long PartnerFeeCents { get; set; }
    public string? Wallet { get; set; }
    public string? CallbackUrl { get; init; }

    /// <summary>The bank-transfer reference the customer must write in the transfer's concept.</summary>
    public long Concept { get; init; }

    /// <summary>The unguessable token of the card/PSD2 page URL handed out by createPayment (<c>url_payment</c>).</summary>
    public required string GatewayToken { get; init; }

    public string Status { get; private set; } = PaymentStatuses.Started;
    public string? FailureReason { get; private set; }

    /// <summary>What the payment provider reported about the payer (card holder, bank account), as JSON.</summary>
    public string? HolderJson { get; private set; }

    public string? Txid { get; private set; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime? PaidAt { get; private set; }

    /// <summary>Optimistic concurrency: two processes finishing the same purchase cannot both win.</summary>
    public int Version { get; private set; }

    public decimal FiatAmount => FiatAmountCents / 100m;
    public long TotalFeeCents => ProcessingFeeCents + NetworkFeeCents + PartnerFeeCents;
    public bool IsFinal => Status is PaymentStatuses.CoinsSent or PaymentStatuses.PaymentRejected or PaymentStatuses.Expired;
    public bool AwaitsPayment => Status is PaymentStatuses.Started or PaymentStatuses.PendingBank;

    /// <summary>The customer chose how to pay on the gateway (guided purchases); fees follow the method.</summary>
    public void ChooseMethod(string paymentType, long processingFeeCents, long partnerFeeCents, decimal coinAmount, DateTime now)
    {
        Require(Status == PaymentStatuses.Started, "choose a payment method");
        PaymentType = paymentType;
        ProcessingFeeCents = processingFeeCents;
        PartnerFeeCents = partnerFeeCents;
        CoinAmount = coinAmount;
        Touch(now);
    }

    public void SetWallet(string wallet, DateTime now)
    {
        Require(Status == PaymentStatuses.Started, "change the wallet");
        Wallet = wallet;
        Touch(now);
    }

    /// <summary>The customer says the bank transfer is on its way; money has not arrived yet.</summary>
    public void MarkPendingBank(DateTime now)
    {
        Require(Status == PaymentStatuses.Started && PaymentType == Contracts.PaymentTypes.Transfer, "mark the transfer as sent");
        Status = PaymentStatuses.PendingBank;
        Touch(now);
    }

    public void MarkPaymentReceived(string? holderJson, DateTime now)
    {
        Require(AwaitsPayment, "record a payment");
        Require(Wallet is not null, "record a payment without a destination wallet");
        Status = PaymentStatuses.PaymentReceived;
        HolderJson = holderJson;
        PaidAt = now;
        Touch(now);
    }

    public void Reject(string reason, DateTime now)
    {
        Require(AwaitsPayment, "reject");
        Status = PaymentStatuses.PaymentRejected;
        FailureReason = reason;
        Touch(now);
    }

    /// <summary>
    /// Only a purchase nobody has paid for expires. A transfer the customer says is on its way (pending_bank) waits
    /// for the bank or an operator instead: expiring it would strand money that may already be in flight.
    /// </summary>
    public void Expire(DateTime now)
    {
        Require(Status == PaymentStatuses.Started, "expire");
        Status = PaymentStatuses.Expired;
        FailureReason = "expired";
        Touch(now);
    }

    public void MarkCoinsSent(string txid, DateTime now)
    {
        Require(Status == PaymentStatuses.PaymentReceived, "mark coins sent");
        Status = PaymentStatuses.CoinsSent;
        Txid = txid;
        Touch(now);
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
            throw new IllegalTransitionException($"Cannot {action}: purchase {Id} is {Status}.");
        }
    }
}

/// <summary>A transition the purchase's current status does not allow.</summary>
public sealed class IllegalTransitionException(string message) : InvalidOperationException(message);

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.Property(p => p.Id).HasMaxLength(25);
        builder.HasOne<Integration>().WithMany().HasForeignKey(p => p.IntegrationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.ExternalId).HasMaxLength(100);
        builder.HasIndex(p => new { p.IntegrationId, p.ExternalId }).IsUnique();
        builder.HasIndex(p => new { p.IntegrationId, p.CreatedAt });
        builder.HasIndex(p => new { p.CustomerId, p.CreatedAt });
        builder.HasIndex(p => new { p.Status, p.ExpiresAt });
        builder.Property(p => p.PaymentType).HasMaxLength(20);
        builder.Property(p => p.FiatSymbol).HasMaxLength(3);
        builder.Property(p => p.CoinSymbol).HasMaxLength(20);
        builder.Property(p => p.Chain).HasMaxLength(40);
        builder.Property(p => p.CoinAmount).HasPrecision(38, 18);
        builder.Property(p => p.Rate).HasPrecision(38, 18);
        builder.Property(p => p.Wallet).HasMaxLength(100);
        builder.Property(p => p.CallbackUrl).HasMaxLength(2048);
        builder.HasIndex(p => p.Concept).IsUnique();
        builder.Property(p => p.GatewayToken).HasMaxLength(64);
        builder.HasIndex(p => p.GatewayToken).IsUnique();
        builder.Property(p => p.Status).HasMaxLength(20);
        builder.Property(p => p.FailureReason).HasMaxLength(200);
        builder.Property(p => p.HolderJson).HasMaxLength(2000);
        builder.Property(p => p.Txid).HasMaxLength(100);
        builder.Property(p => p.Version).IsConcurrencyToken();
    }
}
