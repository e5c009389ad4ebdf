using Cryptopocket.Contracts;

namespace Cryptopocket.Client;

/// <summary>What to quote with <see cref="CryptopocketClient.GetQuoteAsync"/>.</summary>
public sealed record QuoteOptions
{
    /// <summary>The fiat amount to spend, with at most two decimals.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The symbol of the coin to buy, e.g. <c>USDT</c>.</summary>
    public required string Symbol { get; init; }

    /// <summary>The chain to receive the coin on; <see langword="null"/> lets the server choose its default.</summary>
    public string? Chain { get; init; }

    /// <summary>The payment method code (see <see cref="PaymentTypes"/>); defaults to <c>card</c>.</summary>
    public string PaymentType { get; init; } = PaymentTypes.Card;
}
