using System.Security.Cryptography;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Payments;

/// <summary>A purchase request whose fields passed validation; the business rules are checked here.</summary>
public sealed record PurchaseRequest(
    long UserId, string? ExternalId, string PaymentType, decimal FiatAmount, string CoinSymbol, string Chain,
    string? Wallet, string? CallbackUrl, bool Guided);

/// <summary>Either the purchase (new, or the existing one for a repeated external_id) or a documented refusal.</summary>
public sealed record PurchaseOutcome(Payment? Payment, string? ErrorCode, string? Message = null, string? Data = null)
{
    public static PurchaseOutcome Refused(string code, string? message = null, string? data = null) => new(null, code, message, data);
}

public sealed class PurchaseCreation(
    AppDbContext db, IPriceProvider prices, IOptionsMonitor<CatalogueOptions> catalogue, IOptionsMonitor<PaymentOptions> options,
    TimeProvider clock, ILogger<PurchaseCreation> logger)
{
    public const string ReinforcedKycMessage =
        "Failed to create payment, you need complete the onboarding_link to increase your operational amount limits";

    public async Task<PurchaseOutcome> CreateAsync(CallingIntegration integration, PurchaseRequest request, Func<Customer, string> kycUrl, CancellationToken cancellationToken)
    {
        if (request.ExternalId is not null && await FindByExternalIdAsync(integration.Id, request.ExternalId, cancellationToken) is { } existing)
        {
            return new PurchaseOutcome(existing, null);
        }

        var customer = await db.Customers.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == request.UserId && c.IntegrationId == integration.Id, cancellationToken);
        if (customer is null)
        {
            return PurchaseOutcome.Refused(ErrorCodes.UserNotFound);
        }
        if (customer.Banned)
        {
            return PurchaseOutcome.Refused(ErrorCodes.UserBanned);
        }
        if (!customer.KycValid)
        {
            return PurchaseOutcome.Refused(ErrorCodes.RequireKyc, "The customer must complete KYC first.", kycUrl(customer));
        }

        var listing = catalogue.CurrentValue.FindListing(request.CoinSymbol, request.Chain);
        if (listing is not { } found || !found.Asset.BuyEnabled)
        {
            return PurchaseOutcome.Refused(ErrorCodes.CoinNotSupported);
        }
        var (asset, chain) = found;
        var method = catalogue.CurrentValue.FindPaymentMethod(request.PaymentType);
        if (method is null || !integration.Allows(method.Code))
        {
            return PurchaseOutcome.Refused(ErrorCodes.MethodNotAllowed);
        }
        var fiat = catalogue.CurrentValue.FiatSymbol;
        if (request.FiatAmount < asset.MinPurchase)
        {
            return PurchaseOutcome.Refused(ErrorCodes.MinPurchase, $"The minimum purchase is {Money.Fiat(asset.MinPurchase)} {fiat}.");
        }
        if (request.FiatAmount > asset.MaxPurchase)
        {
            return PurchaseOutcome.Refused(ErrorCodes.LimitExceeded, $"The maximum purchase is {Money.Fiat(asset.MaxPurchase)} {fiat}.");
        }
        if (request.FiatAmount > options.CurrentValue.ReinforcedKycThreshold && !customer.ReinforcedKyc)
        {
            return PurchaseOutcome.Refused(ErrorCodes.KycReinforcedRequired, ReinforcedKycMessage);
        }
        var price = await prices.GetPriceAsync(asset.Symbol, cancellationToken);
        if (price is null)
        {
            return PurchaseOutcome.Refused(ErrorCodes.CoinNotSupported);
        }
        var quote = QuoteCalculator.Calculate(request.FiatAmount, asset, chain, method, integration.PartnerFeePercent, price.Price);
        if (quote.CoinAmount <= 0)
        {
            return PurchaseOutcome.Refused(ErrorCodes.MinPurchase, $"The amount does not cover the fees of {Money.Fiat(quote.TotalFees)} {fiat}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // The concept is random (see NewConcept); the one-in-a-billion clash with another purchase's is drawn again.
        for (var attempt = 1; ; attempt++)
        {
            var payment = NewPayment(integration, request, customer, method, fiat, asset, chain, quote, now);
            try
            {
                await using var transaction = await db.BeginOrJoinAsync(cancellationToken);
                if (method.Code == PaymentTypes.Card)
                {
                    await db.LockCustomerAsync(customer.Id, cancellationToken);
                    if (await CardLimit.WouldExceedAsync(db, customer.Id, payment.FiatAmountCents, options.CurrentValue.QuarterlyCardLimit, now, null, cancellationToken))
                    {
                        return PurchaseOutcome.Refused(ErrorCodes.LimitExceeded,
                            $"The quarterly card limit of {Money.Fiat(options.CurrentValue.QuarterlyCardLimit)} {fiat} would be exceeded.");
                    }
                }
                db.Payments.Add(payment);
                await db.SaveChangesAsync(cancellationToken);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(cancellationToken);
                }
                return new PurchaseOutcome(payment, null);
            }
            catch (DbUpdateException exception)
            {
                db.ChangeTracker.Clear();
                if (db.Database.CurrentTransaction is not null)
                {
                    // Inside the caller's transaction (the idempotency filter's, which keeps a savepoint for this): it decides what to answer.
                    throw;
                }
                if (request.ExternalId is not null && await FindByExternalIdAsync(integration.Id, request.ExternalId, cancellationToken) is { } winner)
                {
                    // A concurrent request with the same external_id won the unique index: answer with its purchase.
                    logger.LogInformation(exception, "Concurrent purchase with a repeated external id for integration {IntegrationId}", integration.Id);
                    return new PurchaseOutcome(winner, null);
                }
                if (attempt >= 3)
                {
                    logger.LogError(exception, "A purchase could not be stored after {Attempts} attempts", attempt);
                    return PurchaseOutcome.Refused(ErrorCodes.ErrorPaymentCreation);
                }
            }
        }
    }

    private Payment NewPayment(CallingIntegration integration, PurchaseRequest request, Customer customer, PaymentMethodOptions method, string fiat,
        AssetOptions asset, ChainOptions chain, QuoteBreakdown quote, DateTime now) => new()
    {
        Id = Secrets.PublicId(),
        IntegrationId = integration.Id,
        CustomerId = customer.Id,
        ExternalId = request.ExternalId,
        Guided = request.Guided,
        PaymentType = method.Code,
        FiatSymbol = fiat,
        FiatAmountCents = ToCents(quote.FiatAmount),
        CoinSymbol = asset.Symbol,
        Chain = chain.Name,
        CoinDecimals = asset.Decimals,
        CoinAmount = quote.CoinAmount,
        Rate = quote.Rate,
        ProcessingFeeCents = ToCents(quote.ProcessingFee),
        NetworkFeeCents = ToCents(quote.NetworkFee),
        PartnerFeeCents = ToCents(quote.PartnerFee),
        Wallet = request.Wallet,
        CallbackUrl = request.CallbackUrl,
        Concept = NewConcept(),
        GatewayToken = Guid.NewGuid().ToString(),
        CreatedAt = now,
        ExpiresAt = now + options.CurrentValue.ValidityFor(method.Code),
    };

    private Task<Payment?> FindByExternalIdAsync(int integrationId, string externalId, CancellationToken cancellationToken) =>
        db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.IntegrationId == integrationId && p.ExternalId == externalId, cancellationToken);

    private static long ToCents(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The transfer reference: 9 random digits (the docs' example is 6). Random rather than sequential so concepts
    /// reveal nothing about volume; the unique index rejects the rare collision, and CreateAsync draws again.
    /// </summary>
    private static long NewConcept() => RandomNumberGenerator.GetInt32(100_000_000, 999_999_999);
}
