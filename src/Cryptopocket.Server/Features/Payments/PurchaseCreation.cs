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
    AppDbContext db, PurchaseBatches batches, IPriceProvider prices, IOptionsMonitor<CatalogueOptions> catalogue, IOptionsMonitor<PaymentOptions> options,
    TimeProvider clock, ILogger<PurchaseCreation> logger)
{
    public const string ReinforcedKycMessage =
        "Failed to create payment, you need complete the onboarding_link to increase your operational amount limits";

    /// <param name="publicBase">
    /// The public base URL (<see cref="PublicUrls.Base"/>) for a refusal's KYC link, taken from the request beforehand:
    /// the purchase may be decided in a batch that outlives the request.
    /// </param>
    public async Task<PurchaseOutcome> CreateAsync(CallingIntegration integration, PurchaseRequest request, string publicBase, CancellationToken cancellationToken)
    {
        if (request.ExternalId is not null && await FindByExternalIdAsync(integration.Id, request.ExternalId, cancellationToken) is { } existing)
        {
            return new PurchaseOutcome(existing, null);
        }
        var listing = catalogue.CurrentValue.FindListing(request.CoinSymbol, request.Chain);
        var method = catalogue.CurrentValue.FindPaymentMethod(request.PaymentType);
        // The price does not depend on the customer: taken before the customer's row is locked, so a price feed never
        // holds the lock.
        var price = listing is { Asset.BuyEnabled: true } found ? await prices.GetPriceAsync(found.Asset.Symbol, cancellationToken) : null;
        // A card purchase counts against the customer's quarterly card limit: its customer is read with the lock that
        // serialises such purchases, and the check and the insert follow in that transaction. Other methods have no
        // customer-wide rule.
        var card = method?.Code == PaymentTypes.Card;
        PurchaseOutcome Decide(Customer? customer, DateTime now)
        {
            var (refusal, quote) = Check(integration, request, customer, listing, method, price, publicBase);
            return refusal ?? new PurchaseOutcome(NewPayment(integration, request, customer!, method!, listing!.Value.Asset, listing.Value.Chain, quote!, now), null);
        }

        // Outside a caller's transaction (the idempotency filter's), concurrent purchases are created together.
        if (db.Database.CurrentTransaction is null)
        {
            var draft = new PurchaseDraft(integration.Id, request.UserId, card, CardLimit.Cents(options.CurrentValue.QuarterlyCardLimit), Decide, CardLimitRefusal);
            if (await batches.CreateAsync(draft, cancellationToken) is { } outcome)
            {
                return outcome;
            }
        }
        return await CreateAloneAsync(integration, request, card, Decide, cancellationToken);
    }

    /// <summary>
    /// One purchase in a transaction of its own, or in the caller's: the way for a request that holds a transaction,
    /// and for the purchases of a batch that could not be stored, where a clashing concept is drawn again and a
    /// concurrent request's purchase with the same external_id is answered.
    /// </summary>
    private async Task<PurchaseOutcome> CreateAloneAsync(CallingIntegration integration, PurchaseRequest request, bool card,
        Func<Customer?, DateTime, PurchaseOutcome> decide, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // The concept is random (see NewConcept); a clash with another purchase's is drawn again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = card ? await db.BeginOrJoinAsync(cancellationToken) : null;
                var customer = await db.ReadCustomerAsync(request.UserId, integration.Id, forUpdate: card, cancellationToken);
                var outcome = decide(customer, now);
                if (outcome.Payment is not { } payment)
                {
                    return outcome;
                }
                if (card && !await CardLimit.TryAddAsync(db, customer!, payment, options.CurrentValue.QuarterlyCardLimit, now, cancellationToken))
                {
                    return CardLimitRefusal();
                }
                db.Payments.Add(payment);
                await db.SaveChangesAsync(cancellationToken);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(cancellationToken);
                }
                return outcome;
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

    private PurchaseOutcome CardLimitRefusal() => PurchaseOutcome.Refused(ErrorCodes.LimitExceeded,
        $"The quarterly card limit of {Money.Fiat(options.CurrentValue.QuarterlyCardLimit)} {catalogue.CurrentValue.FiatSymbol} would be exceeded.");

    /// <summary>The business rules other than the card limit, in the order their refusals are documented; else the quote.</summary>
    private (PurchaseOutcome? Refusal, QuoteBreakdown? Quote) Check(CallingIntegration integration, PurchaseRequest request, Customer? customer,
        (AssetOptions Asset, ChainOptions Chain)? listing, PaymentMethodOptions? method, PricePoint? price, string publicBase)
    {
        if (customer is null)
        {
            return (PurchaseOutcome.Refused(ErrorCodes.UserNotFound), null);
        }
        if (customer.Banned)
        {
            return (PurchaseOutcome.Refused(ErrorCodes.UserBanned), null);
        }
        if (!customer.KycValid)
        {
            return (PurchaseOutcome.Refused(ErrorCodes.RequireKyc, "The customer must complete KYC first.", PublicUrls.KycForm(publicBase, customer.KycToken)), null);
        }
        if (listing is not { } found || !found.Asset.BuyEnabled)
        {
            return (PurchaseOutcome.Refused(ErrorCodes.CoinNotSupported), null);
        }
        var asset = found.Asset;
        if (method is null || !integration.Allows(method.Code))
        {
            return (PurchaseOutcome.Refused(ErrorCodes.MethodNotAllowed), null);
        }
        var fiat = catalogue.CurrentValue.FiatSymbol;
        if (request.FiatAmount < asset.MinPurchase)
        {
            return (PurchaseOutcome.Refused(ErrorCodes.MinPurchase, $"The minimum purchase is {Money.Fiat(asset.MinPurchase)} {fiat}."), null);
        }
        if (request.FiatAmount > asset.MaxPurchase)
        {
            return (PurchaseOutcome.Refused(ErrorCodes.LimitExceeded, $"The maximum purchase is {Money.Fiat(asset.MaxPurchase)} {fiat}."), null);
        }
        if (request.FiatAmount > options.CurrentValue.ReinforcedKycThreshold && !customer.ReinforcedKyc)
        {
            return (PurchaseOutcome.Refused(ErrorCodes.KycReinforcedRequired, ReinforcedKycMessage), null);
        }
        if (price is null)
        {
            return (PurchaseOutcome.Refused(ErrorCodes.CoinNotSupported), null);
        }
        var quote = QuoteCalculator.Calculate(request.FiatAmount, asset, found.Chain, method, integration.PartnerFeePercent, price.Price);
        if (quote.CoinAmount <= 0)
        {
            return (PurchaseOutcome.Refused(ErrorCodes.MinPurchase, $"The amount does not cover the fees of {Money.Fiat(quote.TotalFees)} {fiat}."), null);
        }
        return (null, quote);
    }

    private Payment NewPayment(CallingIntegration integration, PurchaseRequest request, Customer customer, PaymentMethodOptions method,
        AssetOptions asset, ChainOptions chain, QuoteBreakdown quote, DateTime now) => new()
    {
        Id = Secrets.PublicId(),
        IntegrationId = integration.Id,
        CustomerId = customer.Id,
        ExternalId = request.ExternalId,
        Guided = request.Guided,
        PaymentType = method.Code,
        FiatSymbol = catalogue.CurrentValue.FiatSymbol,
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
    /// reveal nothing about volume; the unique index rejects the rare collision (about one in 900 million per pair of
    /// purchases: at tens of thousands of purchases, expect one now and then), and CreateAloneAsync draws again.
    /// </summary>
    private static long NewConcept() => RandomNumberGenerator.GetInt32(100_000_000, 999_999_999);
}
