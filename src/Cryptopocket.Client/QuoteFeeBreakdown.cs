namespace Cryptopocket.Client;

/// <summary>The itemised fees of a purchase quote or a sale, in its fiat currency.</summary>
/// <param name="Processing">The payment method's fee (purchases) or the selling fee (sales).</param>
/// <param name="Network">The chain's network fee (delivery or sweep).</param>
/// <param name="Partner">The integration's own fee.</param>
/// <param name="Total">The sum of the fees.</param>
public sealed record QuoteFeeBreakdown(decimal Processing, decimal Network, decimal Partner, decimal Total);
