namespace Cryptopocket.Client;

/// <summary>A token returned by <c>POST api/authenticate</c>, sent in the <c>auth</c> header of every other call.</summary>
/// <param name="Token">The opaque token value.</param>
/// <param name="ExpiresAt">
/// When the token stops being accepted, on this client's clock: counted from the server's <c>expires_in</c>, so that a skew
/// between the two clocks does not matter.
/// </param>
public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>Describes the token without revealing it, so that logging one leaks no credential.</summary>
    /// <returns>The expiry of the token, with its value redacted.</returns>
    public override string ToString() => $"AccessToken {{ Token = ***, ExpiresAt = {ExpiresAt:O} }}";
}
