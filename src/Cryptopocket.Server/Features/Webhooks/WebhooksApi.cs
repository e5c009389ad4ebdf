using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Infrastructure.Validation;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Webhooks;

public sealed record WebhookDeliveryView(
    long Id, string EventId, string EventType, string Url, string Status, int Attempts, int? LastStatusCode,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, DateTimeOffset? NextAttemptAt, IReadOnlyList<WebhookAttemptView> AttemptLog);

public sealed record WebhookAttemptView(DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? ResponseSnippet, string? Error);

public static class WebhooksApi
{
    private const string AlreadySubscribed = ErrorCodes.SubscriptionAlreadyExists;
    private const string SubscriptionNotFound = ErrorCodes.SubscriptionNotFound;
    private const string DeliveryNotFound = ErrorCodes.DeliveryNotFound;

    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration, bool sandbox)
    {
        services.Configure<WebhookOptions>(configuration.GetSection("Webhooks"));
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<OutboxCommitInterceptor>();
        services.AddScoped<WebhookAdmin>();
        var client = services.AddHttpClient(WebhookDispatcher.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        client.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = sandbox ? null : WebhookUrlPolicy.ConnectPublicOnlyAsync,
        });
        services.AddHostedService<WebhookDispatcher>();
        services.AddHostedService<WebhookNotificationListener>();
        return services;
    }

    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder api)
    {
        api.MapPost("/subscribeToWebhook", (HttpContext http, AppDbContext db, ServerOptions server, TimeProvider clock) => SubscribeAsync(http, db, server, clock, update: false))
            .WithName("SubscribeToWebhook").WithSummary("Subscribes a URL to one event type (form-encoded type and url).");
        api.MapPost("/updateWebhookSubscription", (HttpContext http, AppDbContext db, ServerOptions server, TimeProvider clock) => SubscribeAsync(http, db, server, clock, update: true))
            .WithName("UpdateWebhookSubscription").WithSummary("Changes the URL of the subscription for one event type.");
        api.MapGet("/webhooks/deliveries", ListDeliveriesAsync)
            .WithName("ListWebhookDeliveries").WithSummary("The delivery log: each event sent, its status and every attempt.");
        api.MapPost("/webhooks/deliveries/{deliveryId:long}/redeliver", RedeliverOneAsync)
            .WithName("RedeliverWebhook").WithSummary("Sends one delivery again.");
        api.MapPost("/webhooks/redeliver", RedeliverRangeAsync)
            .WithName("RedeliverWebhooks").WithSummary("Sends again every delivery of events that happened between from and to.");
        api.MapPost("/webhooks/test", SendTestAsync)
            .WithName("SendTestWebhook").WithSummary("Sends a WEBHOOK_TEST event to the subscription of the given type.");
        return api;
    }

    private static async Task<IResult> SubscribeAsync(HttpContext http, AppDbContext db, ServerOptions server, TimeProvider clock, bool update)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var (fields, error) = await RequestFields.FromBodyAsync(http.Request, http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        var validator = new Validator(fields!);
        var requestedType = validator.Text("type", required: true, maxLength: 40);
        var url = validator.Url("url", required: true);
        var type = requestedType is null ? null : EventTypes.Canonical(requestedType);
        if (requestedType is not null && type is null)
        {
            validator.AddError("type", $"The selected type is invalid. Known types: {string.Join(", ", EventTypes.Subscribable)} (and {EventTypes.RampoffFinishedAlias}).");
        }
        if (url is not null && WebhookUrlPolicy.Check(url, server.Sandbox) is { } refused)
        {
            validator.AddError("url", refused);
        }
        if (validator.HasErrors)
        {
            return validator.ToResult();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var existing = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.IntegrationId == integration.Id && s.Type == type, http.RequestAborted);
        if (update)
        {
            if (existing is null)
            {
                return ApiResults.Error(SubscriptionNotFound, $"There is no subscription for {type}; subscribe first.");
            }
            existing.Url = url!.ToString();
            existing.UpdatedAt = now;
            await db.SaveChangesAsync(http.RequestAborted);
            return ApiResults.Ok("subscription_updated");
        }
        if (existing is not null)
        {
            return ApiResults.Error(AlreadySubscribed, $"{type} already has a subscription; use updateWebhookSubscription to change its url.");
        }
        db.WebhookSubscriptions.Add(new WebhookSubscription { IntegrationId = integration.Id, Type = type!, Url = url!.ToString(), CreatedAt = now, UpdatedAt = now });
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            return ApiResults.Error(AlreadySubscribed);
        }
        return ApiResults.Ok("subscription_created");
    }

    private static async Task<IResult> ListDeliveriesAsync(HttpContext http, WebhookAdmin admin)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var validator = new Validator(RequestFields.FromQuery(http.Request));
        var status = validator.OneOf("status", required: false, [WebhookDeliveryStatuses.Pending, WebhookDeliveryStatuses.Delivered, WebhookDeliveryStatuses.Failed]);
        var type = validator.Text("type", required: false, maxLength: 40);
        var limit = (int)(validator.WholeNumber("limit", required: false, min: 1, max: 500) ?? 100);
        if (validator.HasErrors)
        {
            return validator.ToResult();
        }
        return Results.Json(new { status = "ok", data = await admin.ListAsync(integration.Id, status, type, limit, http.RequestAborted) });
    }

    private static async Task<IResult> RedeliverOneAsync(long deliveryId, HttpContext http, WebhookAdmin admin)
    {
        var integration = RequireIntegrationFilter.Get(http);
        return await admin.RedeliverAsync(integration.Id, deliveryId, http.RequestAborted)
            ? ApiResults.Ok("redelivery_scheduled")
            : ApiResults.Error(DeliveryNotFound);
    }

    private static async Task<IResult> RedeliverRangeAsync(HttpContext http, WebhookAdmin admin)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var (fields, error) = await RequestFields.FromBodyAsync(http.Request, http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        var validator = new Validator(fields!);
        var from = validator.Timestamp("from", required: true);
        var to = validator.Timestamp("to", required: true);
        if (validator.HasErrors)
        {
            return validator.ToResult();
        }
        var count = await admin.RedeliverRangeAsync(integration.Id, from!.Value, to!.Value, http.RequestAborted);
        return Results.Json(new { status = "ok", data = new { redelivery_scheduled = count } });
    }

    private static async Task<IResult> SendTestAsync(HttpContext http, WebhookAdmin admin)
    {
        var integration = RequireIntegrationFilter.Get(http);
        var (fields, error) = await RequestFields.FromBodyAsync(http.Request, http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        var validator = new Validator(fields!);
        var type = validator.Text("type", required: true, maxLength: 40);
        if (validator.HasErrors)
        {
            return validator.ToResult();
        }
        var eventId = await admin.SendTestAsync(integration.Id, EventTypes.Canonical(type!) ?? type!, http.RequestAborted);
        return eventId is null ? ApiResults.Error(SubscriptionNotFound) : Results.Json(new { status = "ok", data = new { event_id = eventId } });
    }
}
