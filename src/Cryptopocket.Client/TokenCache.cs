namespace Cryptopocket.Client;

/// <summary>
/// Holds the current token, renews it before expiry and after a revocation, and makes concurrent callers share one
/// authentication.
/// </summary>
internal sealed class TokenCache(
    Func<CancellationToken, Task<AccessToken>> authenticate, TimeSpan refreshBeforeExpiry, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile AccessToken? _current;

    /// <summary>The cached token if it is still fresh, otherwise a new one.</summary>
    public async Task<AccessToken> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && IsFresh(current))
        {
            return current;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            return current is not null && IsFresh(current) ? current : await AuthenticateLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A token other than <paramref name="rejected"/>, which the server refused: the one another caller already
    /// obtained, or a new one.
    /// </summary>
    public async Task<AccessToken> RenewAsync(AccessToken rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = _current;
            return current is not null && !ReferenceEquals(current, rejected) && IsFresh(current)
                ? current
                : await AuthenticateLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Authenticates now, whatever is cached, and caches the new token.</summary>
    public async Task<AccessToken> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await AuthenticateLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<AccessToken> AuthenticateLockedAsync(CancellationToken cancellationToken)
    {
        _current = null;
        var token = await authenticate(cancellationToken);
        _current = token;
        return token;
    }

    private bool IsFresh(AccessToken token) => clock.GetUtcNow() < token.ExpiresAt - refreshBeforeExpiry;
}
