namespace Cryptopocket.Client;

/// <summary>A payment method and its fees, as listed by <c>GET api/payment-methods</c>.</summary>
/// <param name="Code">The method's code, used as <see cref="QuoteOptions.PaymentType"/> (e.g. <c>card</c>).</param>
/// <param name="Name">The method's display name.</param>
/// <param name="FiatSymbol">The fiat currency of <paramref name="FeeFixed"/>.</param>
/// <param name="Allowed">Whether the calling integration may use this method.</param>
/// <param name="FeePercent">The proportional fee, in percent (<c>2.5</c> means 2.5 %).</param>
/// <param name="FeeFixed">The fixed fee per purchase, in <paramref name="FiatSymbol"/>.</param>
public sealed record PaymentMethodInfo(string Code, string Name, string FiatSymbol, bool Allowed, decimal FeePercent, decimal FeeFixed);
