using System.Text.Json.Serialization;

namespace Cryptopocket.Contracts;

public sealed record AuthenticateRequest(
    [property: JsonPropertyName("api_key")] string ApiKey,
    [property: JsonPropertyName("api_secret")] string ApiSecret);

/// <summary>
/// Data of a successful <c>POST /api/authenticate</c>. The public docs never showed this shape; the choice is
/// recorded in docs/api.md. <c>token</c> goes in the <c>auth</c> header of every other call.
/// </summary>
public sealed record AuthenticateData(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);
