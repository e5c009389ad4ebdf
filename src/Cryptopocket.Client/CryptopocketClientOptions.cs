namespace Cryptopocket.Client;

/// <summary>Credentials and token policy of a <see cref="CryptopocketClient"/>.</summary>
public sealed class CryptopocketClientOptions
{
    /// <summary>The integration's API key, sent as <c>api_key</c> to <c>POST api/authenticate</c>.</summary>
    public required string ApiKey { get; init; }

    /// <summary>The integration's API secret, sent as <c>api_secret</c> to <c>POST api/authenticate</c>.</summary>
    public required string ApiSecret { get; init; }

    /// <summary>
    /// How long before its expiry a cached token is replaced by a new one, so that no call goes out with a token
    /// that expires in flight. Defaults to 60 seconds; must not be negative.
    /// </summary>
    public TimeSpan RefreshBeforeExpiry { get; init; } = TimeSpan.FromSeconds(60);
}
