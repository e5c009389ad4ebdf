namespace Cryptopocket.Server.Features.Catalogue;

/// <summary>Assets, chains, payment methods, fees and limits: operator configuration (section "Catalogue").</summary>
public sealed class CatalogueOptions
{
    public string FiatSymbol { get; set; } = "EUR";
    public TimeSpan QuoteValidity { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Amplitude, in percent, of the sandbox's slow price drift; 0 keeps prices fixed.</summary>
    public decimal PriceDriftPercent { get; set; }

    public List<AssetOptions> Assets { get; set; } = [];
    public List<ChainOptions> Chains { get; set; } = [];
    public List<PaymentMethodOptions> PaymentMethods { get; set; } = [];

    public AssetOptions? FindAsset(string symbol) =>
        Assets.FirstOrDefault(a => string.Equals(a.Symbol, symbol, StringComparison.OrdinalIgnoreCase));

    public ChainOptions? FindChain(string name) =>
        Chains.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public PaymentMethodOptions? FindPaymentMethod(string code) =>
        PaymentMethods.FirstOrDefault(m => string.Equals(m.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>The asset if it is offered on that chain; the pair is what <c>coin_not_supported</c> is about.</summary>
    public (AssetOptions Asset, ChainOptions Chain)? FindListing(string symbol, string chain)
    {
        var asset = FindAsset(symbol);
        var chainOptions = FindChain(chain);
        if (asset is null || chainOptions is null || !asset.Chains.Contains(chainOptions.Name, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }
        return (asset, chainOptions);
    }
}

public sealed class AssetOptions
{
    public string Symbol { get; set; } = "";
    public string Name { get; set; } = "";
    public int Decimals { get; set; }

    /// <summary>Reference price of one unit in the fiat currency.</summary>
    public decimal Price { get; set; }

    public List<string> Chains { get; set; } = [];
    public decimal MinPurchase { get; set; }
    public decimal MaxPurchase { get; set; }
    public bool BuyEnabled { get; set; } = true;
    public bool SellEnabled { get; set; } = true;
}

public sealed class ChainOptions
{
    public string Name { get; set; } = "";

    /// <summary>What delivering on this chain costs the platform, charged to the customer in fiat.</summary>
    public decimal NetworkFee { get; set; }
}

public sealed class PaymentMethodOptions
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public decimal FeePercent { get; set; }
    public decimal FeeFixed { get; set; }
}
