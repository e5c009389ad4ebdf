using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Rampoffs.Deposits;
using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>Either the operation (new, or the existing one for a repeated external_id) or a documented refusal.</summary>
public sealed record RampoffOutcome(Rampoff? Rampoff, IResult? Refusal)
{
    public static RampoffOutcome Refused(string code, string? message = null, string? data = null) =>
        new(null, ApiResults.Error(code, message, data));
}

/// <summary>
/// The business rules of a sale, with the purchase's error codes: the customer must belong to the caller and have
/// passed KYC; the coin must be sold on that chain; the value must be within the asset's limits and, above the
/// reinforced-KYC threshold, the customer must have enhanced verification.
/// </summary>
public sealed class RampoffCreation(
    AppDbContext db, IPriceProvider prices, DepositAddressing deposits, IOptionsMonitor<CatalogueOptions> catalogue,
    IOptionsMonitor<RampoffOptions> options, IOptionsMonitor<PaymentOptions> payments, TimeProvider clock, ILogger<RampoffCreation> logger)
{
    public async Task<RampoffOutcome> CreateAsync(
        CallingIntegration integration, RampoffRequest request, Func<Customer, string> kycUrl, CancellationToken cancellationToken)
    {
        if (request.ExternalId is not null && await FindByExternalIdAsync(integration.Id, request.ExternalId, cancellationToken) is { } existing)
        {
            return new RampoffOutcome(existing, null);
        }
        var customer = await db.Customers.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == request.UserId && c.IntegrationId == integration.Id, cancellationToken);
        if (customer is null)
        {
            return RampoffOutcome.Refused(ErrorCodes.UserNotFound);
        }
        if (customer.Banned)
        {
            return RampoffOutcome.Refused(ErrorCodes.UserBanned);
        }
        if (!customer.KycValid)
        {
            return RampoffOutcome.Refused(ErrorCodes.RequireKyc, "The customer must complete KYC first.", kycUrl(customer));
        }
        var priced = await PriceAsync(integration, request.Symbol, request.Chain, request.Amount, cancellationToken);
        if (priced.Refusal is not null)
        {
            return new RampoffOutcome(null, priced.Refusal);
        }
        var quote = priced.Quote!;
        if (quote.GrossFiat > payments.CurrentValue.ReinforcedKycThreshold && !customer.ReinforcedKyc)
        {
            return RampoffOutcome.Refused(ErrorCodes.KycReinforcedRequired, PurchaseCreation.ReinforcedKycMessage);
        }
        var iban = request.Iban ?? customer.Iban;
        if (iban is null)
        {
            return RampoffOutcome.Refused(ErrorCodes.FailMandatoryField, "Missing mandatory field(s): iban (the customer registered none).");
        }
        var factory = await deposits.FactoryAsync(priced.Chain!.Name, cancellationToken);
        if (factory is null)
        {
            logger.LogWarning("No deposit address could be derived on {Chain}: the node did not answer for the deposit factory", priced.Chain.Name);
            return RampoffOutcome.Refused(ErrorCodes.ErrorRampoffCreation, "Deposits on this chain are unavailable right now; try again shortly.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var id = Secrets.PublicId();
        var salt = DepositAddresses.SaltFor(id);
        var rampoff = new Rampoff
        {
            Id = id,
            IntegrationId = integration.Id,
            CustomerId = customer.Id,
            ExternalId = request.ExternalId,
            Chain = priced.Chain.Name,
            CoinSymbol = priced.Asset!.Symbol,
            Decimals = priced.Asset.Decimals,
            Amount = request.Amount,
            FiatSymbol = catalogue.CurrentValue.FiatSymbol,
            Rate = quote.Rate,
            PartnerFeePercent = integration.PartnerFeePercent,
            Iban = iban,
            BankName = request.BankName,
            HolderName = $"{customer.Name} {customer.LastName}".Trim(),
            DepositAddress = DepositAddresses.Compute(factory.Factory, salt, factory.CodeHash),
            DepositSalt = salt,
            DepositFactory = factory.Factory,
            CreatedAt = now,
            DepositDeadline = now + options.CurrentValue.DepositWindow,
        };
        rampoff.LockQuote(quote);
        try
        {
            db.Rampoffs.Add(rampoff);
            await db.SaveChangesAsync(cancellationToken);
            return new RampoffOutcome(rampoff, null);
        }
        catch (DbUpdateException exception) when (request.ExternalId is not null)
        {
            // A concurrent request with the same external_id won the unique index: answer with its operation.
            logger.LogInformation(exception, "Concurrent sale with a repeated external id for integration {IntegrationId}", integration.Id);
            db.ChangeTracker.Clear();
            return await FindByExternalIdAsync(integration.Id, request.ExternalId, cancellationToken) is { } winner
                ? new RampoffOutcome(winner, null)
                : RampoffOutcome.Refused(ErrorCodes.ErrorRampoffCreation);
        }
    }

    /// <summary>A priced sale, or the refusal a quote or a creation gives for it.</summary>
    public sealed record Priced(AssetOptions? Asset, ChainOptions? Chain, RampoffQuoteBreakdown? Quote, IResult? Refusal);

    /// <summary>The pair, the price and the limits: shared by the quote endpoint and creation so both refuse alike.</summary>
    public async Task<Priced> PriceAsync(CallingIntegration integration, string symbol, string chain, decimal amount, CancellationToken cancellationToken)
    {
        var fiat = catalogue.CurrentValue.FiatSymbol;
        if (catalogue.CurrentValue.FindListing(symbol, chain) is not { } listing || !listing.Asset.SellEnabled || !deposits.Supports(listing.Chain.Name))
        {
            return new Priced(null, null, null, ApiResults.Error(ErrorCodes.CoinNotSupported));
        }
        var (asset, chainOptions) = listing;
        if (RampoffForms.CheckPrecision("amount", amount, asset.Decimals) is { } tooPrecise)
        {
            return new Priced(null, null, null, tooPrecise);
        }
        var price = await prices.GetPriceAsync(asset.Symbol, cancellationToken);
        if (price is null)
        {
            return new Priced(null, null, null, ApiResults.Error(ErrorCodes.CoinNotSupported));
        }
        var quote = RampoffQuoteCalculator.Calculate(amount, price.Price, chainOptions, options.CurrentValue, integration.PartnerFeePercent);
        IResult? refusal = null;
        if (quote.GrossFiat < asset.MinPurchase)
        {
            refusal = ApiResults.Error(ErrorCodes.MinPurchase, $"The minimum sale is worth {Money.Fiat(asset.MinPurchase)} {fiat}.");
        }
        else if (quote.GrossFiat > asset.MaxPurchase)
        {
            refusal = ApiResults.Error(ErrorCodes.LimitExceeded, $"The maximum sale is worth {Money.Fiat(asset.MaxPurchase)} {fiat}.");
        }
        else if (quote.FiatAmountCents <= 0)
        {
            refusal = ApiResults.Error(ErrorCodes.MinPurchase, $"The amount does not cover the fees of {Money.Fiat(quote.TotalFeeCents / 100m)} {fiat}.");
        }
        return new Priced(asset, chainOptions, quote, refusal);
    }

    private Task<Rampoff?> FindByExternalIdAsync(int integrationId, string externalId, CancellationToken cancellationToken) =>
        db.Rampoffs.AsNoTracking().SingleOrDefaultAsync(r => r.IntegrationId == integrationId && r.ExternalId == externalId, cancellationToken);
}
