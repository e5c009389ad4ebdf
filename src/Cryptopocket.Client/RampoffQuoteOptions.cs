namespace Cryptopocket.Client;

/// <summary>What to quote with <see cref="CryptopocketClient.GetRampoffQuoteAsync"/>.</summary>
public sealed record RampoffQuoteOptions
{
    /// <summary>The amount of the coin to sell, in coin units, with at most the coin's decimals (USDC: 6).</summary>
    public required decimal Amount { get; init; }

    /// <summary>The symbol of the coin to sell, e.g. <c>USDC</c>.</summary>
    public required string Symbol { get; init; }

    /// <summary>The chain the coin is sent on; <see langword="null"/> lets the server choose its default.</summary>
    public string? Blockchain { get; init; }
}
