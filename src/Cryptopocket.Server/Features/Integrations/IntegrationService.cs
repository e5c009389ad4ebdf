using System.Net;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Integrations;

/// <summary>Credentials shown exactly once, when an integration is created or its secret rotated.</summary>
public sealed record IntegrationCredentials(int Id, string Name, string ApiKey, string ApiSecret);

public sealed record IntegrationSummary(int Id, string Name, string ApiKey, bool Disabled, string AllowedIps, string AllowedPaymentMethods, DateTime CreatedAt);

/// <summary>Operator actions on integrations: create, list, rotate the secret, disable.</summary>
public sealed class IntegrationService(AppDbContext db, IDataProtectionProvider dataProtection, TimeProvider clock, ApiTokenCache tokenCache)
{
    internal const string SecretPurpose = "Cryptopocket.IntegrationSecret.v1";

    public async Task<IntegrationCredentials> CreateAsync(string name, CancellationToken cancellationToken)
    {
        ValidateName(name);
        if (await db.Integrations.AnyAsync(i => i.Name == name, cancellationToken))
        {
            throw new OperatorException($"An integration named '{name}' already exists.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = Secrets.Token("sk_");
        var integration = new Integration
        {
            Name = name,
            ApiKey = Secrets.Token("pk_")[..35],
            SecretHash = Secrets.Sha256Hex(secret),
            SecretProtected = Protector.Protect(secret),
            CreatedAt = now,
            SecretRotatedAt = now,
        };
        db.Integrations.Add(integration);
        await db.SaveChangesAsync(cancellationToken);
        return new IntegrationCredentials(integration.Id, integration.Name, integration.ApiKey, secret);
    }

    public async Task<IReadOnlyList<IntegrationSummary>> ListAsync(CancellationToken cancellationToken) =>
        await db.Integrations.AsNoTracking().OrderBy(i => i.Id)
            .Select(i => new IntegrationSummary(i.Id, i.Name, i.ApiKey, i.Disabled, i.AllowedIps, i.AllowedPaymentMethods, i.CreatedAt))
            .ToListAsync(cancellationToken);

    /// <summary>A new secret; every token issued under the old one stops working at once.</summary>
    public async Task<IntegrationCredentials> RotateSecretAsync(string idOrName, CancellationToken cancellationToken)
    {
        var integration = await FindAsync(idOrName, cancellationToken);
        var secret = Secrets.Token("sk_");
        integration.SecretHash = Secrets.Sha256Hex(secret);
        integration.SecretProtected = Protector.Protect(secret);
        integration.SecretRotatedAt = clock.GetUtcNow().UtcDateTime;
        await RevokeTokensAndSaveAsync(integration, cancellationToken);
        return new IntegrationCredentials(integration.Id, integration.Name, integration.ApiKey, secret);
    }

    public async Task<IntegrationSummary> SetDisabledAsync(string idOrName, bool disabled, CancellationToken cancellationToken)
    {
        var integration = await FindAsync(idOrName, cancellationToken);
        integration.Disabled = disabled;
        await RevokeTokensAndSaveAsync(integration, cancellationToken);
        return Summary(integration);
    }

    /// <summary>Restricts which addresses may authenticate and call; an empty list allows any address.</summary>
    public async Task<IntegrationSummary> SetAllowedIpsAsync(string idOrName, IReadOnlyList<string> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            if (!IpAllowlist.TryParseEntry(entry, out _))
            {
                throw new OperatorException($"'{entry}' is not an IP address or CIDR range.");
            }
        }
        var integration = await FindAsync(idOrName, cancellationToken);
        integration.AllowedIps = string.Join(",", entries);
        await db.SaveChangesAsync(cancellationToken);
        tokenCache.Forget(integration.Id);
        return Summary(integration);
    }

    public async Task<IntegrationSummary> SetPaymentMethodsAsync(string idOrName, IReadOnlyList<string> methods, CancellationToken cancellationToken)
    {
        var unknown = methods.Where(m => !Contracts.PaymentTypes.All.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new OperatorException($"Unknown payment method(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Contracts.PaymentTypes.All)}.");
        }
        var integration = await FindAsync(idOrName, cancellationToken);
        integration.AllowedPaymentMethods = string.Join(",", methods.Distinct());
        await db.SaveChangesAsync(cancellationToken);
        tokenCache.Forget(integration.Id);
        return Summary(integration);
    }

    public string UnprotectSecret(Integration integration) => Protector.Unprotect(integration.SecretProtected);

    private IDataProtector Protector => dataProtection.CreateProtector(SecretPurpose);

    private async Task RevokeTokensAndSaveAsync(Integration integration, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await db.ApiTokens.Where(t => t.IntegrationId == integration.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        tokenCache.Forget(integration.Id);
    }

    private async Task<Integration> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        var integration = int.TryParse(idOrName, out var id)
            ? await db.Integrations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken)
            : await db.Integrations.SingleOrDefaultAsync(i => i.Name == idOrName, cancellationToken);
        return integration ?? throw new OperatorException($"No integration with id or name '{idOrName}'.");
    }

    private static IntegrationSummary Summary(Integration i) =>
        new(i.Id, i.Name, i.ApiKey, i.Disabled, i.AllowedIps, i.AllowedPaymentMethods, i.CreatedAt);

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            throw new OperatorException("The name must be 1 to 100 printable characters.");
        }
    }
}

/// <summary>An operator command that cannot be done as asked; the message says why.</summary>
public sealed class OperatorException(string message) : Exception(message);

public static class IpAllowlist
{
    public static bool TryParseEntry(string entry, out IPNetwork network)
    {
        if (IPNetwork.TryParse(entry, out network))
        {
            return true;
        }
        if (IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return false;
    }

    public static bool Allows(string allowedIps, IPAddress? remote)
    {
        if (string.IsNullOrWhiteSpace(allowedIps))
        {
            return true;
        }
        if (remote is null)
        {
            return false;
        }
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }
        foreach (var entry in allowedIps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParseEntry(entry, out var network) && network.Contains(remote))
            {
                return true;
            }
        }
        return false;
    }
}
