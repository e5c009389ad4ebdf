using System.Net;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Integrations;

public sealed class AuthOptions
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Authentication attempts allowed per client address per window.</summary>
    public int AuthenticatePermitLimit { get; set; } = 30;

    public TimeSpan AuthenticateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a validated token is trusted without asking the database again (<see cref="ApiTokenCache"/>): also the
    /// longest a revocation made by another process takes to reach this one. Zero looks every call up.
    /// </summary>
    public TimeSpan TokenCacheDuration { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>The integration an <c>auth</c> token stands for, as endpoints need it.</summary>
public sealed record CallingIntegration(int Id, string Name, string AllowedPaymentMethods, decimal PartnerFeePercent)
{
    public bool Allows(string paymentType) =>
        Integration.ParseMethods(AllowedPaymentMethods).Contains(paymentType, StringComparer.OrdinalIgnoreCase);
}

public sealed class ApiTokenService(AppDbContext db, ApiTokenCache cache, TimeProvider clock, IOptions<AuthOptions> options)
{
    /// <summary>Anything shorter or longer than a token could be is refused before it is hashed or looked up.</summary>
    public const int MinTokenLength = 20;

    public const int MaxTokenLength = 100;

    /// <summary>Exchanges credentials for a token; null for anything wrong, so callers cannot tell which part was.</summary>
    public async Task<AuthenticateData?> IssueAsync(string apiKey, string apiSecret, IPAddress? remote, CancellationToken cancellationToken)
    {
        var integration = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.ApiKey == apiKey, cancellationToken);
        // Hash even when the key is unknown so the answer takes the same time either way.
        var presented = Secrets.Sha256Hex(apiSecret);
        if (integration is null || !Secrets.FixedTimeEqualsHex(presented, integration.SecretHash)
            || integration.Disabled || !IpAllowlist.Allows(integration.AllowedIps, remote))
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Secrets.Token();
        var lifetime = options.Value.TokenLifetime;
        db.ApiTokens.Add(new ApiToken
        {
            IntegrationId = integration.Id,
            TokenHash = Secrets.Sha256Hex(token),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        await db.ApiTokens.Where(t => t.IntegrationId == integration.Id && t.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        return new AuthenticateData(token, new DateTimeOffset(now + lifetime), (int)lifetime.TotalSeconds);
    }

    /// <summary>Looks the token up in the database (the filter asks <see cref="ApiTokenCache"/> first) and remembers it.</summary>
    public async Task<CallingIntegration?> ValidateAsync(string token, IPAddress? remote, CancellationToken cancellationToken)
    {
        if (token.Length is < MinTokenLength or > MaxTokenLength)
        {
            return null;
        }
        var hash = Secrets.Sha256Hex(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await (
                from t in db.ApiTokens.AsNoTracking()
                join i in db.Integrations.AsNoTracking() on t.IntegrationId equals i.Id
                where t.TokenHash == hash && t.ExpiresAt > now && !i.Disabled
                select new { i.Id, i.Name, i.AllowedPaymentMethods, i.PartnerFeePercent, i.AllowedIps, t.ExpiresAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }
        var integration = new CallingIntegration(found.Id, found.Name, found.AllowedPaymentMethods, found.PartnerFeePercent);
        cache.Remember(hash, integration, found.AllowedIps, found.ExpiresAt);
        return IpAllowlist.Allows(found.AllowedIps, remote) ? integration : null;
    }
}

/// <summary>
/// Puts the calling integration on the request, or answers <c>authorization_incorrect</c> (HTTP 200, as documented).
/// A token in the cache costs no service resolution and no database context; only a miss asks the database.
/// </summary>
public sealed class RequireIntegrationFilter(ApiTokenCache cache) : IEndpointFilter
{
    private const string ItemKey = "cryptopocket.integration";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = http.Request.Headers["auth"].ToString().Trim();
        var integration = token.Length is < ApiTokenService.MinTokenLength or > ApiTokenService.MaxTokenLength
            ? null
            : cache.TryValidate(Secrets.Sha256Hex(token), http.Connection.RemoteIpAddress, out var known)
                ? known
                : await http.RequestServices.GetRequiredService<ApiTokenService>().ValidateAsync(token, http.Connection.RemoteIpAddress, http.RequestAborted);
        if (integration is null)
        {
            return ApiResults.Unauthorized();
        }
        http.Items[ItemKey] = integration;
        return await next(context);
    }

    public static CallingIntegration Get(HttpContext http) =>
        http.Items[ItemKey] as CallingIntegration
        ?? throw new InvalidOperationException("The endpoint is not behind RequireIntegrationFilter.");
}
