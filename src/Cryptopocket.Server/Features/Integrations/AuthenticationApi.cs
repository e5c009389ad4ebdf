using System.Threading.RateLimiting;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Infrastructure.Validation;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Integrations;

public static class AuthenticationApi
{
    public const string RateLimitPolicy = "authenticate";

    public static IServiceCollection AddIntegrations(this IServiceCollection services)
    {
        services.AddScoped<IntegrationService>();
        services.AddScoped<ApiTokenService>();
        services.AddSingleton<ApiTokenCache>();
        services.AddSingleton<RequireIntegrationFilter>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
                await ApiResults.Error(ErrorCodes.TooManyRequests, StatusCodes.Status429TooManyRequests, "Too many authentication attempts; wait and retry.")
                    .ExecuteAsync(context.HttpContext);
            limiter.AddPolicy(RateLimitPolicy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.AuthenticatePermitLimit, Window = options.AuthenticateWindow, QueueLimit = 0 });
            });
        });
        return services;
    }

    public static RouteGroupBuilder MapAuthentication(this RouteGroupBuilder api)
    {
        api.MapPost("/authenticate", AuthenticateAsync)
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("Authenticate")
            .WithSummary("Exchanges api_key and api_secret for a token to send in the auth header.");
        return api;
    }

    private static async Task<IResult> AuthenticateAsync(HttpContext http, ApiTokenService tokens)
    {
        var (fields, error) = await RequestFields.FromBodyAsync(http.Request, http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        // Any failure, missing fields included, is authorization_incorrect: the docs name no other answer here.
        var validator = new Validator(fields!);
        var apiKey = validator.Text("api_key", required: true, maxLength: 100);
        var apiSecret = validator.Text("api_secret", required: true, maxLength: 200);
        if (apiKey is null || apiSecret is null)
        {
            return ApiResults.Unauthorized();
        }
        var issued = await tokens.IssueAsync(apiKey, apiSecret, http.Connection.RemoteIpAddress, http.RequestAborted);
        return issued is null ? ApiResults.Unauthorized() : ApiResults.Ok(issued);
    }
}
