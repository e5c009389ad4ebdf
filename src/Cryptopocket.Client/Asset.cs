namespace Cryptopocket.Client;

/// <summary>A coin on one chain, as listed by <c>GET api/available-assets</c>.</summary>
/// <param name="Symbol">The coin's symbol, e.g. <c>USDT</c>.</param>
/// <param name="Name">The coin's display name.</param>
/// <param name="Chain">The chain the coin is offered on, e.g. <c>polygon</c>.</param>
/// <param name="Decimals">How many decimals the coin's amounts carry.</param>
/// <param name="FiatSymbol">The fiat currency of the purchase limits, e.g. <c>EUR</c>.</param>
/// <param name="MinPurchase">The smallest fiat amount a purchase may be.</param>
/// <param name="MaxPurchase">The largest fiat amount a purchase may be.</param>
/// <param name="BuyEnabled">Whether the coin can be bought.</param>
/// <param name="SellEnabled">Whether the coin can be sold.</param>
public sealed record Asset(
    string Symbol,
    string Name,
    string Chain,
    int Decimals,
    string FiatSymbol,
    decimal MinPurchase,
    decimal MaxPurchase,
    bool BuyEnabled,
    bool SellEnabled);
