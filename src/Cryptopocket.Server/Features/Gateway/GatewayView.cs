using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Infrastructure;

namespace Cryptopocket.Server.Features.Gateway;

/// <summary>What the gateway pages show of a purchase.</summary>
public sealed record GatewayView(
    string Id, string FiatAmount, string FiatSymbol, string CoinAmount, string CoinSymbol, string Chain, string Fees, string Rate,
    string? Wallet, string PaymentType, string Status, bool Guided, long Concept, IReadOnlyList<string> Methods)
{
    public string BasePath => $"/payment/{Id}";

    public static GatewayView From(Payment p, IReadOnlyList<string> methods) => new(
        p.Id, Money.Fiat(p.FiatAmount), p.FiatSymbol, Money.Format(p.CoinAmount, p.CoinDecimals), p.CoinSymbol, p.Chain,
        Money.Fiat(p.TotalFeeCents / 100m), Money.Format(p.Rate, 6), p.Wallet, p.PaymentType, p.Status, p.Guided, p.Concept, methods);
}
