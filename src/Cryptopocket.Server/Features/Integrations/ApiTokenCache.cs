using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Integrations;

/// <summary>
/// Tokens this process validated recently, so that a partner's burst of calls costs one database lookup per token per
/// <see cref="AuthOptions.TokenCacheDuration"/> instead of one per call. What it may get wrong is bounded by that
/// duration: a token revoked by another process (the command line, another instance) keeps working here for at most
/// that long; a change made through this process's <see cref="IntegrationService"/> is forgotten at once.
/// </summary>
public sealed class ApiTokenCache(TimeProvider clock, IOptionsMonitor<AuthOptions> options)
{
    /// <summary>Past this many entries the cache starts again from empty rather than grow without bound.</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(CallingIntegration Integration, string AllowedIps, DateTime ExpiresAt, DateTime CheckedAt);

    /// <summary>
    /// True when the cache can answer for this token: <paramref name="integration"/> is then the caller, or null when
    /// the caller's address is outside the integration's allowlist. False: ask the database.
    /// </summary>
    public bool TryValidate(string tokenHash, IPAddress? remote, out CallingIntegration? integration)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(tokenHash, out var entry) && entry.ExpiresAt > now && now - entry.CheckedAt < options.CurrentValue.TokenCacheDuration)
        {
            integration = IpAllowlist.Allows(entry.AllowedIps, remote) ? entry.Integration : null;
            return true;
        }
        integration = null;
        return false;
    }

    public void Remember(string tokenHash, CallingIntegration integration, string allowedIps, DateTime expiresAt)
    {
        if (options.CurrentValue.TokenCacheDuration <= TimeSpan.Zero)
        {
            return;
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[tokenHash] = new Entry(integration, allowedIps, expiresAt, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Drops every token of an integration whose secret, status, addresses or methods just changed.</summary>
    public void Forget(int integrationId)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Integration.Id == integrationId)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }
}
