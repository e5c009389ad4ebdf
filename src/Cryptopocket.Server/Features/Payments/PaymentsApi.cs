using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Infrastructure.Idempotency;
using Cryptopocket.Server.Infrastructure.Listing;
using Cryptopocket.Server.Infrastructure.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Payments;

public static class PaymentsApi
{
    private const string PaymentNotFound = ErrorCodes.PaymentNotFound;

    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PaymentOptions>(configuration.GetSection("Payments"));
        services.AddScoped<PurchaseCreation>();
        services.AddSingleton<PurchaseBatches>();
        services.AddScoped<PaymentLifecycle>();
        services.AddScoped<Banking.BankReconciliation>();
        services.AddScoped<Gateway.GatewayContext>();
        services.AddScoped<IdempotencyFilter>();
        services.AddSingleton(sp => new BatchedReads<Payment>(sp.GetRequiredService<IDbContextFactory<AppDbContext>>(),
            FindPayments, p => p.Id, sp.GetRequiredService<ILogger<BatchedReads<Payment>>>()));
        services.AddHostedService<PaymentExpiryJob>();
        return services;
    }

    public static RouteGroupBuilder MapPayments(this RouteGroupBuilder api)
    {
        api.MapPost("/createPayment", CreatePaymentAsync).AddEndpointFilter<IdempotencyFilter>()
            .WithName("CreatePayment").WithSummary("Creates a purchase paid by card, PSD2 or SEPA transfer, delivered to the given wallet.");
        api.MapPost("/createGuidedPayment", CreateGuidedPaymentAsync).AddEndpointFilter<IdempotencyFilter>()
            .WithName("CreateGuidedPayment").WithSummary("Creates a purchase the customer completes on the hosted gateway (EUR only).");
        api.MapGet("/payment/{paymentId}", GetPaymentAsync)
            .WithName("GetPayment").WithSummary("A purchase's status and details; fiat_amount in cents, txid once coins are sent.");
        api.MapGet("/payments", ListPaymentsAsync)
            .WithName("ListPayments").WithSummary("The integration's purchases, newest first, filtered and paginated.");
        return api;
    }

    private static async Task<IResult> CreatePaymentAsync(HttpContext http, PurchaseCreation creation, PublicUrls urls, IOptionsMonitor<PaymentOptions> options)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var (fields, error) = await RequestFields.FromBodyAsync(http.Request, http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        var parsed = PurchaseForms.ParseCreatePayment(fields!);
        if (parsed.Error is not null)
        {
            return parsed.Error;
        }
        if (parsed.FiatSymbol != "EUR")
        {
            return ApiResults.Error(ErrorCodes.FiatNotSupported, "Purchases are paid in EUR only.");
        }
        var outcome = await creation.CreateAsync(integration, parsed.Request!, urls.Base(http.Request), http.RequestAborted);
        if (outcome.Payment is not { } payment)
        {
            return ApiResults.Error(outcome.ErrorCode!, outcome.Message, outcome.Data);
        }
        if (payment.PaymentType == PaymentTypes.Transfer)
        {
            var bank = options.CurrentValue;
            return TypedResults.Json(new SuccessResponse<TransferPaymentCreated>(PaymentMessages.TransferSuccessStatus, PaymentMessages.PaymentCreated,
                new TransferPaymentCreated(payment.Id, bank.BankIban, bank.BankBic, payment.Concept, bank.BankDestinationName)));
        }
        var url = $"{urls.Base(http.Request)}/gateway/{payment.PaymentType}?token={payment.GatewayToken}";
        return TypedResults.Json(new SuccessResponse<CardPaymentCreated>(Envelope.Success, PaymentMessages.PaymentCreated, new CardPaymentCreated(url, payment.Id)));
    }

    private static async Task<IResult> CreateGuidedPaymentAsync(HttpContext http, PurchaseCreation creation, PublicUrls urls)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var (fields, error) = await RequestFields.FromBodyAsync(http.Request, http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        var parsed = PurchaseForms.ParseGuided(fields!);
        if (parsed.Error is not null)
        {
            return parsed.Error;
        }
        if (parsed.FiatSymbol != "EUR")
        {
            return ApiResults.Error(ErrorCodes.GuidedPaymentEurOnly);
        }
        var outcome = await creation.CreateAsync(integration, parsed.Request!, urls.Base(http.Request), http.RequestAborted);
        if (outcome.Payment is not { } payment)
        {
            return ApiResults.Error(outcome.ErrorCode!, outcome.Message, outcome.Data);
        }
        return TypedResults.Json(new SuccessResponse<GuidedPaymentCreated>(Envelope.Success, PaymentMessages.GuidedPaymentCreated,
            new GuidedPaymentCreated(payment.Id, $"{urls.Base(http.Request)}/payment/{payment.Id}", payment.ExternalId)));
    }

    /// <summary>
    /// Partners poll this read more than anything else, many at once: concurrent reads share one query
    /// (<see cref="BatchedReads{TRow}"/>), compiled once. It reads by id alone and the caller checks the owner: with
    /// <c>AND integration_id = …</c> in the query, PostgreSQL may take the (integration_id, external_id) index whenever
    /// its statistics make the partner look small (a new partner, until the next ANALYZE) and filter all of that
    /// partner's purchases for one read; by the primary key it is always one row per id (docs/performance.md, "Sixth
    /// session" and "Eighth session").
    /// </summary>
    private static readonly Func<AppDbContext, string[], IAsyncEnumerable<Payment>> PaymentsByIds =
        EF.CompileAsyncQuery((AppDbContext db, string[] ids) => db.Payments.AsNoTracking().Where(p => ids.Contains(p.Id)));

    private static async Task<List<Payment>> FindPayments(AppDbContext db, string[] ids, CancellationToken cancellationToken) =>
        await PaymentsByIds(db, ids).ToListAsync(cancellationToken);

    private static async Task<IResult> GetPaymentAsync(string paymentId, HttpContext http, BatchedReads<Payment> payments)
    {
        var integration = RequireIntegrationFilter.Get(http);
        if (paymentId.Length != 25)
        {
            return ApiResults.Error(PaymentNotFound);
        }
        var payment = await payments.FindAsync(paymentId, http.RequestAborted);
        // Another integration's purchase is not found, exactly like an id that does not exist.
        return payment is null || payment.IntegrationId != integration.Id ? ApiResults.Error(PaymentNotFound) : ApiResults.Ok(payment.ToDetail());
    }

    private static async Task<IResult> ListPaymentsAsync(HttpContext http, AppDbContext db)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var (query, error) = ListQuery.Parse(http.Request, PaymentStatuses.All);
        return error ?? await query!.PageAsync(db.Payments, integration.Id, (Payment p) => p.ToDetail(), http.RequestAborted);
    }
}
