using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Infrastructure.Validation;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Catalogue;

public static class CatalogueApi
{
    /// <summary>Largest fiat amount any endpoint accepts; far above every configured limit, far below decimal's range.</summary>
    public const decimal MaxFiatAmount = 1_000_000_000m;

    public static IServiceCollection AddCatalogue(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CatalogueOptions>(configuration.GetSection("Catalogue"));
        services.AddSingleton<IPriceProvider, ConfiguredPriceProvider>();
        return services;
    }

    public static RouteGroupBuilder MapCatalogue(this RouteGroupBuilder api)
    {
        api.MapGet("/available-assets", AvailableAssets)
            .WithName("GetAvailableAssets").WithSummary("Lists the coins and chains on offer, with decimals and purchase limits.");
        api.MapGet("/token-price", TokenPriceAsync)
            .WithName("GetTokenPrice").WithSummary("The reference price of one unit of a coin in EUR.");
        api.MapGet("/payment-methods", PaymentMethods)
            .WithName("GetPaymentMethods").WithSummary("Payment methods, their fees, and whether this integration may use each.");
        api.MapGet("/quote", QuoteAsync)
            .WithName("GetQuote").WithSummary("What an EUR amount buys of a coin on a chain, net of itemised fees, until expires_at.");
        return api;
    }

    private static IResult AvailableAssets(IOptionsMonitor<CatalogueOptions> options)
    {
        var catalogue = options.CurrentValue;
        var assets = (
                from asset in catalogue.Assets
                from chain in asset.Chains
                where catalogue.FindChain(chain) is not null
                select new AvailableAsset(asset.Symbol, asset.Name, chain, asset.Decimals, catalogue.FiatSymbol,
                    Money.Fiat(asset.MinPurchase), Money.Fiat(asset.MaxPurchase), asset.BuyEnabled, asset.SellEnabled))
            .ToList();
        return ApiResults.Ok<IReadOnlyList<AvailableAsset>>(assets);
    }

    private static async Task<IResult> TokenPriceAsync(HttpContext http, IPriceProvider prices, IOptionsMonitor<CatalogueOptions> options)
    {
        var validator = new Validator(RequestFields.FromQuery(http.Request));
        var symbol = validator.Text("symbol", required: true, maxLength: 20);
        var fiat = validator.Text("fiat_symbol", required: false, maxLength: 10) ?? options.CurrentValue.FiatSymbol;
        if (validator.HasErrors)
        {
            return validator.ToResult();
        }
        if (!string.Equals(fiat, options.CurrentValue.FiatSymbol, StringComparison.OrdinalIgnoreCase))
        {
            return ApiResults.Error(ErrorCodes.FiatNotSupported, $"Prices are quoted in {options.CurrentValue.FiatSymbol} only.");
        }
        var price = await prices.GetPriceAsync(symbol!, http.RequestAborted);
        return price is null
            ? ApiResults.Error(ErrorCodes.CoinNotSupported)
            : ApiResults.Ok(new TokenPrice(price.Symbol, price.FiatSymbol, Money.Format(price.Price, 6), price.At));
    }

    private static IResult PaymentMethods(HttpContext http, IOptionsMonitor<CatalogueOptions> options)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var catalogue = options.CurrentValue;
        var methods = catalogue.PaymentMethods
            .Select(m => new PaymentMethod(m.Code, m.Name, catalogue.FiatSymbol, integration.Allows(m.Code),
                Money.Format(m.FeePercent, 2), Money.Fiat(m.FeeFixed)))
            .ToList();
        return ApiResults.Ok<IReadOnlyList<PaymentMethod>>(methods);
    }

    private static async Task<IResult> QuoteAsync(HttpContext http, IPriceProvider prices, IOptionsMonitor<CatalogueOptions> options, TimeProvider clock)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var catalogue = options.CurrentValue;
        var validator = new Validator(RequestFields.FromQuery(http.Request));
        var amount = validator.Amount("amount", required: true, maxScale: 2, max: MaxFiatAmount);
        var symbol = validator.Text("symbol", required: true, maxLength: 20);
        var chain = validator.Text("chain", required: false, maxLength: 40) ?? "polygon";
        // The guide writes "card, PSD2, TRANSFER": method codes are matched without regard to case.
        var paymentType = validator.OneOf("payment_type", required: true, PaymentTypes.All, ignoreCase: true);
        if (validator.HasErrors)
        {
            return validator.ToResult();
        }

        var listing = catalogue.FindListing(symbol!, chain);
        var method = catalogue.FindPaymentMethod(paymentType!);
        if (listing is not { } found || !found.Asset.BuyEnabled)
        {
            return ApiResults.Error(ErrorCodes.CoinNotSupported);
        }
        var (asset, chainOptions) = found;
        if (method is null || !integration.Allows(method.Code))
        {
            return ApiResults.Error(ErrorCodes.MethodNotAllowed);
        }
        if (amount < asset.MinPurchase)
        {
            return ApiResults.Error(ErrorCodes.MinPurchase, $"The minimum purchase is {Money.Fiat(asset.MinPurchase)} {catalogue.FiatSymbol}.");
        }
        if (amount > asset.MaxPurchase)
        {
            return ApiResults.Error(ErrorCodes.LimitExceeded, $"The maximum purchase is {Money.Fiat(asset.MaxPurchase)} {catalogue.FiatSymbol}.");
        }
        var price = await prices.GetPriceAsync(asset.Symbol, http.RequestAborted);
        if (price is null)
        {
            return ApiResults.Error(ErrorCodes.CoinNotSupported);
        }
        var quote = QuoteCalculator.Calculate(amount!.Value, asset, chainOptions, method, integration.PartnerFeePercent, price.Price);
        if (quote.CoinAmount <= 0)
        {
            return ApiResults.Error(ErrorCodes.MinPurchase, $"The amount does not cover the fees of {Money.Fiat(quote.TotalFees)} {catalogue.FiatSymbol}.");
        }
        var fees = new QuoteFees(Money.Fiat(quote.ProcessingFee), Money.Fiat(quote.NetworkFee), Money.Fiat(quote.PartnerFee), Money.Fiat(quote.TotalFees));
        return ApiResults.Ok(new Quote(
            Money.Fiat(quote.FiatAmount), catalogue.FiatSymbol, asset.Symbol, chainOptions.Name, method.Code,
            Money.Format(quote.Rate, 6), Money.Format(quote.CoinAmount, asset.Decimals), fees, clock.GetUtcNow() + catalogue.QuoteValidity));
    }
}
