using System.Globalization;
using Cryptopocket.Bench.Load;
using Cryptopocket.Bench.Platform;

namespace Cryptopocket.Bench.Phases;

/// <summary>
/// "Limits still exact" after the createGuidedPayment load: every purchase answered as created is in the database
/// exactly once (per partner, the list's total equals the creations it was answered), and a burst of concurrent
/// purchases against one customer's quarterly card limit lets through exactly as many as fit.
/// </summary>
public static class GuidedChecks
{
    /// <summary>Payments:QuarterlyCardLimit of appsettings.json (the benchmark does not change it).</summary>
    public const decimal QuarterlyCardLimit = 5000m;

    /// <summary>Per-probe purchase amount: 50 fit under the limit.</summary>
    public const decimal ProbeAmount = 100m;

    public static async Task<List<string>> CountsMatchAsync(PartnerApi api, Seed seed, IReadOnlyList<CreatedPurchase> created)
    {
        var problems = new List<string>();
        var distinct = created.Select(c => c.PaymentId).Distinct(StringComparer.Ordinal).Count();
        if (distinct != created.Count)
        {
            problems.Add($"{created.Count - distinct} payment id(s) answered twice");
        }
        foreach (var partner in seed.Partners)
        {
            var answered = created.Count(c => c.Partner == partner);
            var listed = await api.CountPaymentsAsync(partner);
            if (listed != answered)
            {
                problems.Add($"{partner.Name}: {answered} created, {listed} listed");
            }
        }
        return problems;
    }

    /// <summary>
    /// 4× as many concurrent guided purchases as the limit allows, all for one fresh customer. Answers how many were
    /// created, how many refused with limit_exceded, how many failed otherwise, and the list's total for the customer.
    /// </summary>
    public static async Task<(long Created, long Refused, long Other, long Listed, int Allowed)> LimitProbeAsync(
        BenchSettings settings, PartnerApi api, Customer customer)
    {
        var allowed = (int)(QuarterlyCardLimit / ProbeAmount);
        long created = 0, refused = 0, other = 0;
        var body = string.Create(CultureInfo.InvariantCulture,
            $$"""{"user_id":{{customer.Id}},"coin_symbol":"USDC","coin_chain":"polygon","fiat_amount":{{ProbeAmount}},"fiat_symbol":"EUR"}""");
        await LoadGenerator.RunAsync(new LoadSpec
        {
            Name = "limit probe",
            BaseAddress = api.BaseAddress,
            Connections = Math.Min(settings.Connections, 4 * allowed),
            WarmUp = TimeSpan.Zero,
            Duration = TimeSpan.FromSeconds(60),
            MaxRequests = 4 * allowed,
            NewRequest = _ => PartnerApi.Request(HttpMethod.Post, "/api/createGuidedPayment", customer.Partner, Http.JsonBody(body)),
            Judge = (_, response, answer) =>
            {
                if (response.IsSuccessStatusCode && Http.Contains(answer, "\"guided_payment_created\""u8))
                {
                    Interlocked.Increment(ref created);
                }
                else if (response.IsSuccessStatusCode && Http.Contains(answer, "\"limit_exceded\""u8))
                {
                    Interlocked.Increment(ref refused);
                }
                else
                {
                    Interlocked.Increment(ref other);
                }
                return true;
            },
        });
        var listed = await api.CountPaymentsAsync(customer.Partner, $"user_id={customer.Id}");
        return (created, refused, other, listed, allowed);
    }
}
