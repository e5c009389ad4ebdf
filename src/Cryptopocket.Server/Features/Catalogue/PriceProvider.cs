using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Catalogue;

public sealed record PricePoint(string Symbol, string FiatSymbol, decimal Price, DateTimeOffset At);

/// <summary>Where reference prices come from. The sandbox reads configuration; a market-data adapter replaces it.</summary>
public interface IPriceProvider
{
    ValueTask<PricePoint?> GetPriceAsync(string symbol, CancellationToken cancellationToken);
}

/// <summary>
/// Configured prices, optionally drifting along a one-hour sine wave so sandbox integrators see quotes move
/// and learn to honour expiry. Rounded to 6 places: a price is quoted, not computed to 28 digits.
/// </summary>
public sealed class ConfiguredPriceProvider(IOptionsMonitor<CatalogueOptions> options, TimeProvider clock) : IPriceProvider
{
    public ValueTask<PricePoint?> GetPriceAsync(string symbol, CancellationToken cancellationToken)
    {
        var catalogue = options.CurrentValue;
        var asset = catalogue.FindAsset(symbol);
        if (asset is null || asset.Price <= 0)
        {
            return ValueTask.FromResult<PricePoint?>(null);
        }
        var now = clock.GetUtcNow();
        var price = asset.Price;
        if (catalogue.PriceDriftPercent != 0)
        {
            var phase = now.ToUnixTimeMilliseconds() % 3_600_000 / 3_600_000.0 * 2 * Math.PI;
            price *= 1 + catalogue.PriceDriftPercent / 100 * (decimal)Math.Sin(phase);
        }
        return ValueTask.FromResult<PricePoint?>(
            new PricePoint(asset.Symbol, catalogue.FiatSymbol, decimal.Round(price, 6, MidpointRounding.AwayFromZero), now));
    }
}
