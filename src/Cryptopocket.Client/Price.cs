namespace Cryptopocket.Client;

/// <summary>The reference price of one unit of a coin, as answered by <c>GET api/token-price</c>.</summary>
/// <param name="Symbol">The coin's symbol.</param>
/// <param name="FiatSymbol">The fiat currency of <paramref name="Value"/>.</param>
/// <param name="Value">The price of one unit of the coin, exactly as the server sent it.</param>
/// <param name="UpdatedAt">When the price was last updated.</param>
public sealed record Price(string Symbol, string FiatSymbol, decimal Value, DateTimeOffset UpdatedAt);
