using System.Globalization;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Infrastructure.Idempotency;
using Cryptopocket.Server.Infrastructure.Listing;
using Cryptopocket.Server.Infrastructure.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Rampoffs;

public static class RampoffsApi
{
    public static IServiceCollection AddRampoffs(this IServiceCollection services, IConfiguration configuration, bool sandbox)
    {
        services.Configure<RampoffOptions>(configuration.GetSection("Rampoffs"));
        services.PostConfigure<RampoffOptions>(o => o.PayoutRail = o.PayoutRail is { Length: > 0 } rail ? rail : sandbox ? PayoutRails.Sandbox : PayoutRails.Pain001);
        services.AddSingleton<DepositAddressing>();
        services.AddScoped<RampoffCreation>();
        services.AddScoped<RampoffLifecycle>();
        services.AddScoped<DepositWatch>();
        services.AddScoped<DepositSweeper>();
        services.AddScoped<PayoutService>();
        services.AddHostedService<DepositWatcher>();
        return services;
    }

    public static RouteGroupBuilder MapRampoffs(this RouteGroupBuilder api)
    {
        api.MapGet("/getRampoffQuote", QuoteAsync)
            .WithName("GetRampoffQuote").WithSummary("What selling an amount of a coin on a chain pays out in EUR, net of itemised fees, until expires_at.");
        api.MapPost("/createRampoff", CreateAsync).AddEndpointFilter<IdempotencyFilter>()
            .WithName("CreateRampoff").WithSummary("Creates a sale of crypto for EUR paid to an IBAN; answers the operation's own deposit address.");
        api.MapGet("/getRampoff", GetAsync)
            .WithName("GetRampoff").WithSummary("An off-ramp operation: amount in base units with decimals, fiat_amount as a decimal string, status.");
        api.MapGet("/rampoffs", ListAsync)
            .WithName("ListRampoffs").WithSummary("The integration's off-ramp operations, newest first, filtered and paginated.");
        return api;
    }

    private static async Task<IResult> QuoteAsync(HttpContext http, RampoffCreation creation, IOptionsMonitor<CatalogueOptions> catalogue,
        IOptionsMonitor<RampoffOptions> options, TimeProvider clock)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var validator = new Validator(RequestFields.FromQuery(http.Request));
        var amount = validator.Amount("amount", required: true, maxScale: 18, max: RampoffForms.MaxCoinAmount);
        var symbol = validator.Text("symbol", required: true, maxLength: 20);
        var chain = validator.Text("blockchain", required: false, maxLength: 40)?.ToLowerInvariant() ?? "polygon";
        if (validator.HasErrors)
        {
            return validator.ToResult();
        }
        var priced = await creation.PriceAsync(integration, symbol!, chain, amount!.Value, http.RequestAborted);
        if (priced.Refusal is not null)
        {
            return priced.Refusal;
        }
        var quote = priced.Quote!;
        var asset = priced.Asset!;
        return ApiResults.Ok(new RampoffQuote(
            Money.Format(quote.Amount, asset.Decimals), BaseUnits.From(quote.Amount, asset.Decimals).ToString(CultureInfo.InvariantCulture), asset.Decimals,
            asset.Symbol, priced.Chain!.Name, catalogue.CurrentValue.FiatSymbol, Money.Format(quote.Rate, 6), Money.Fiat(quote.GrossFiat),
            RampoffMapping.Fees(quote.ProcessingFeeCents, quote.NetworkFeeCents, quote.PartnerFeeCents), Money.Fiat(quote.FiatAmountCents / 100m),
            clock.GetUtcNow() + options.CurrentValue.DepositWindow));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, RampoffCreation creation, PublicUrls urls)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var (fields, error) = await RequestFields.FromBodyAsync(http.Request, http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        var (request, invalid) = RampoffForms.Parse(fields!);
        if (invalid is not null)
        {
            return invalid;
        }
        var outcome = await creation.CreateAsync(integration, request!, c => urls.KycForm(http.Request, c.KycToken), http.RequestAborted);
        return outcome.Rampoff is { } rampoff
            ? ApiResults.Ok(new RampoffCreated(RampoffMessages.PaymentCreated, rampoff.DepositAddress, rampoff.Id))
            : outcome.Refusal!;
    }

    private static async Task<IResult> GetAsync(HttpContext http, AppDbContext db)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var validator = new Validator(RequestFields.FromQuery(http.Request));
        var id = validator.Text("id", required: true, maxLength: 100);
        if (validator.HasErrors)
        {
            return validator.ToResult();
        }
        if (id!.Length != 25)
        {
            return ApiResults.Error(ErrorCodes.RampoffNotFound);
        }
        // By the primary key alone, the owner checked here: see PaymentsApi.FindPayment for why.
        var rampoff = await db.Rampoffs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, http.RequestAborted);
        return rampoff is null || rampoff.IntegrationId != integration.Id
            ? ApiResults.Error(ErrorCodes.RampoffNotFound)
            : ApiResults.Ok(rampoff.ToDetail());
    }

    private static async Task<IResult> ListAsync(HttpContext http, AppDbContext db)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var (query, error) = ListQuery.Parse(http.Request, RampoffStatuses.All);
        return error ?? await query!.PageAsync(db.Rampoffs, integration.Id, (Rampoff r) => r.ToDetail(), http.RequestAborted);
    }
}
