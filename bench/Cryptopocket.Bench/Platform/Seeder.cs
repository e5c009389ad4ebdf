using System.Globalization;
using System.Security.Cryptography;

namespace Cryptopocket.Bench.Platform;

/// <summary>
/// Integrations (the sandbox one plus <c>integrations create</c>), a token for each, and KYC-approved customers spread
/// over them: the buyers of the createGuidedPayment phase (approved through the hosted KYC form), one customer for the
/// limit probe, and one for settlement approved the operator's way (<c>customers kyc --approve</c>).
/// </summary>
public static class Seeder
{
    public static async Task<Seed> RunAsync(BenchSettings settings, CryptopocketServer server, PartnerApi api, Action<string> log)
    {
        var credentials = new List<(string Name, string ApiKey, string ApiSecret)>();
        var (sandboxKey, sandboxSecret) = server.SandboxCredentials();
        credentials.Add(("sandbox", sandboxKey, sandboxSecret));
        // Each command is a process start (about a second and a half of CPU): two at a time on a small machine.
        using var gate = new SemaphoreSlim(2);
        var created = await Task.WhenAll(Enumerable.Range(1, settings.Integrations - 1).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var json = (await server.RunAsync("integrations", "create", "--name", $"bench-{i}", "--json")).Json();
                return ($"bench-{i}", json.Text("api_key")!, json.Text("api_secret")!);
            }
            finally
            {
                gate.Release();
            }
        }));
        credentials.AddRange(created);
        var partners = new List<Partner>();
        foreach (var (name, key, secret) in credentials)
        {
            partners.Add(new Partner(partners.Count, name, key, secret, await api.AuthenticateAsync(key, secret)));
        }
        log($"{partners.Count} integration(s), each authenticated");

        var dni = RandomNumberGenerator.GetInt32(10_000_000, 80_000_000);
        var buyers = await RegisterApprovedAsync(api, Enumerable.Range(0, settings.Customers).Select(i => (partners[i % partners.Count], dni + i)).ToList());
        var probe = (await RegisterApprovedAsync(api, [(partners[0], dni + settings.Customers)]))[0];
        log($"{buyers.Count + 1} customer(s) registered and approved through the hosted KYC form");

        var (settlementId, _) = await api.RegisterCustomerAsync(partners[0], dni + settings.Customers + 1);
        var decision = (await server.RunAsync("customers", "kyc", "--user-id", settlementId.ToString(CultureInfo.InvariantCulture), "--approve", "--json")).Json();
        if (decision.Text("kyc_status") != "valid")
        {
            throw new BenchFailedException($"customers kyc --approve: {decision}");
        }
        log($"settlement customer {settlementId} approved with 'cryptopocket customers kyc --approve'");
        return new Seed(partners, buyers, probe, new Customer(settlementId, partners[0]));
    }

    private static async Task<List<Customer>> RegisterApprovedAsync(PartnerApi api, IReadOnlyList<(Partner Partner, int Dni)> wanted)
    {
        using var gate = new SemaphoreSlim(8);
        var customers = await Task.WhenAll(wanted.Select(async w =>
        {
            await gate.WaitAsync();
            try
            {
                var (id, formUrl) = await api.RegisterCustomerAsync(w.Partner, w.Dni);
                await KycForm.SubmitAsync(api.BaseAddress, formUrl);
                var status = await api.KycStatusAsync(w.Partner, id);
                return status == "valid"
                    ? new Customer(id, w.Partner)
                    : throw new BenchFailedException($"Customer {id}: KYC is '{status}' after the hosted form, expected 'valid'.");
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. customers];
    }
}
