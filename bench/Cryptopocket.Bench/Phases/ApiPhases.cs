using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Cryptopocket.Bench.Load;
using Cryptopocket.Bench.Platform;

namespace Cryptopocket.Bench.Phases;

/// <summary>A purchase created in the createGuidedPayment phase, for the GET /api/payment/{id} phase.</summary>
public sealed record CreatedPurchase(Partner Partner, string PaymentId);

/// <summary>The three partner-API loads: quote, createGuidedPayment (which creates the ids) and payment detail.</summary>
public static class ApiPhases
{
    public const string QuotePath = "/api/quote?amount=100&symbol=USDC&chain=polygon&payment_type=card";

    /// <summary>Guided purchases are for the asset's minimum, so each customer has room for 500 under the quarterly card limit.</summary>
    public const decimal GuidedAmount = 10m;

    /// <summary>
    /// The customer a connection buys for next: connection c takes customers c, c + connections, c + 2 × connections, …
    /// in turn. Two connections never share a customer when there are a multiple of connections of them (so no one
    /// waits on another's customer lock), and the purchases a long warm-up makes are spread over all of them: the default
    /// 1,024 customers hold 512,000 purchases under the quarterly card limit, 20,000 a second for a 25 s load (256 ran
    /// out at 5,000 a second on a quiet host, and the refusals counted as errors).
    /// </summary>
    private static int BuyerFor(LoadContext context, int connections, int buyers) =>
        (int)((context.Connection + context.Sequence * connections) % buyers);

    public static Task<LoadResult> QuoteAsync(BenchSettings settings, Uri server, Seed seed) =>
        LoadGenerator.RunAsync(new LoadSpec
        {
            Name = "quote",
            BaseAddress = server,
            Connections = settings.Connections,
            WarmUp = settings.WarmUp,
            Duration = settings.Duration,
            // Each connection speaks for one partner, so token look-ups are spread over every integration.
            NewRequest = context => PartnerApi.Request(HttpMethod.Get, QuotePath, seed.Partners[context.Connection % seed.Partners.Count]),
            Judge = (_, response, body) => response.IsSuccessStatusCode && Http.Contains(body, "\"status\":\"ok\""u8),
        });

    public static async Task<(LoadResult Load, List<CreatedPurchase> Created)> GuidedAsync(BenchSettings settings, Uri server, Seed seed)
    {
        var created = new ConcurrentBag<CreatedPurchase>();
        var bodies = seed.Buyers.Select(GuidedBody).ToArray();
        var load = await LoadGenerator.RunAsync(new LoadSpec
        {
            Name = "createGuidedPayment",
            BaseAddress = server,
            Connections = settings.Connections,
            WarmUp = settings.WarmUp,
            Duration = settings.Duration,
            NewRequest = context =>
            {
                var buyer = BuyerFor(context, settings.Connections, seed.Buyers.Count);
                return PartnerApi.Request(HttpMethod.Post, "/api/createGuidedPayment", seed.Buyers[buyer].Partner, Http.JsonBody(bodies[buyer]));
            },
            Judge = (context, response, body) =>
            {
                if (!response.IsSuccessStatusCode || !Http.Contains(body, "\"guided_payment_created\""u8))
                {
                    return false;
                }
                using var answer = JsonDocument.Parse(body);
                var id = answer.RootElement.GetProperty("data").Text("payment_id");
                created.Add(new CreatedPurchase(seed.Buyers[BuyerFor(context, settings.Connections, seed.Buyers.Count)].Partner, id!));
                return id is not null;
            },
        });
        return (load, [.. created]);
    }

    public static string GuidedBody(Customer customer) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"user_id":{{customer.Id}},"coin_symbol":"USDC","coin_chain":"polygon","fiat_amount":{{GuidedAmount}},"fiat_symbol":"EUR"}""");

    public static Task<LoadResult> DetailAsync(BenchSettings settings, Uri server, IReadOnlyList<CreatedPurchase> purchases) =>
        LoadGenerator.RunAsync(new LoadSpec
        {
            Name = "payment detail",
            BaseAddress = server,
            Connections = settings.Connections,
            WarmUp = settings.WarmUp,
            Duration = settings.Duration,
            // Connections walk the ids from different starting points, so the reads spread over the whole table.
            NewRequest = context =>
            {
                var purchase = purchases[(int)((context.Connection * 7919L + context.Sequence) % purchases.Count)];
                return PartnerApi.Request(HttpMethod.Get, $"/api/payment/{purchase.PaymentId}", purchase.Partner);
            },
            Judge = (_, response, body) => response.IsSuccessStatusCode && Http.Contains(body, "\"status\":\"ok\""u8),
        });
}
