namespace Cryptopocket.Client;

/// <summary>The fees of a <see cref="QuoteResult"/>, in its fiat currency.</summary>
/// <param name="Processing">The payment method's fee.</param>
/// <param name="Network">The chain's network fee.</param>
/// <param name="Partner">The integration's own fee.</param>
/// <param name="Total">The sum of the fees.</param>
public sealed record QuoteFeeBreakdown(decimal Processing, decimal Network, decimal Partner, decimal Total);
