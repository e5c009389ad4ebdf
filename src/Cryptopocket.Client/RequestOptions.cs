namespace Cryptopocket.Client;

/// <summary>Per-call options of the calls that create something (purchases and sales).</summary>
public sealed record RequestOptions
{
    /// <summary>
    /// The <c>Idempotency-Key</c> to send: 1 to 255 printable ASCII characters, no spaces. The server answers a
    /// repeated key with the same body by replaying its first answer, and a repeated key with another body by
    /// <c>idempotency_key_reused</c>. Pass one of your own (e.g. your order id) to retry a call safely after a network
    /// failure; when <see langword="null"/> the SDK generates one per call, which protects only its own retry after a
    /// re-authentication.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
