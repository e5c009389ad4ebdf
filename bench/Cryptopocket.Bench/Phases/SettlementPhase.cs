using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Cryptopocket.Bench.Platform;
using Cryptopocket.Bench.Processes;

namespace Cryptopocket.Bench.Phases;

/// <summary>What the settlement phase measured.</summary>
public sealed record SettlementResult(
    IReadOnlyList<string> PaymentIds, TimeSpan ImportCommand, TimeSpan FirstPaidToAllPaid, TimeSpan FirstPaidToAllSent, string ImportSummary, long Sent, string Cpu)
{
    /// <summary>
    /// Purchases taken from paid to coins_sent per second: all of them over the span from the first paid to the last
    /// sent (or, when the time limit ran out first, those sent by then over the span up to then).
    /// </summary>
    public double PerSecond => Sent / FirstPaidToAllSent.TotalSeconds;

    public bool Complete => Sent == PaymentIds.Count;

    /// <summary>How fast the bank import marked purchases paid (lines per second, from the first paid to the last).</summary>
    public double PaidPerSecond => PaymentIds.Count / Math.Max(FirstPaidToAllPaid.TotalSeconds, 0.001);
}

/// <summary>
/// Settlement end to end: N TRANSFER purchases (POST /api/createPayment, each to a new wallet) are paid in one go by a
/// camt.054 notification imported with <c>cryptopocket bank import</c>; the clock runs from the moment the first one
/// is seen paid to the moment the last one is <c>coins_sent</c>, both read from GET /api/payments every 100 ms.
/// </summary>
public static class SettlementPhase
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task<SettlementResult> RunAsync(BenchSettings settings, CryptopocketServer server, PartnerApi api, Customer customer, Action<string> log)
    {
        var count = settings.Transfers;
        var purchases = new (string PaymentId, long Concept, decimal Amount)[count];
        using (var gate = new SemaphoreSlim(16))
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var amount = RandomNumberGenerator.GetInt32(1000, 6001) / 100m;
                    var wallet = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
                    var (id, concept) = await api.CreateTransferPaymentAsync(customer, amount, wallet);
                    purchases[i] = (id, concept, amount);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        log($"{count} transfer purchase(s) created");
        var file = Path.Combine(settings.WorkDir, "settlement.camt054.xml");
        await File.WriteAllTextAsync(file, Camt054.Notification(purchases.Select((p, i) => new BankCredit(p.Amount, p.Concept, $"BENCH-{i}-{Guid.NewGuid():N}"))));

        var byCustomer = $"user_id={customer.Id}";
        var clock = Stopwatch.StartNew();
        var cpuAtImport = CpuSnapshot.Take(server.Pid);
        var import = server.RunAsync("bank", "import", file, "--json");
        TimeSpan? firstPaid = null, allPaid = null, allSent = null, importDone = null;
        // Bounded: a settlement slower than 5 purchases a second is reported as such, with what it did by then.
        var deadline = TimeSpan.FromSeconds(60) + TimeSpan.FromSeconds(count * 0.2);
        long sent = 0;
        while (allSent is null)
        {
            if (clock.Elapsed > deadline)
            {
                log($"Settlement stopped at its time limit ({deadline.TotalSeconds:0} s): {sent} of {count} coins_sent");
                allSent = clock.Elapsed;
                allPaid ??= clock.Elapsed;
                firstPaid ??= TimeSpan.Zero;
                break;
            }
            if (importDone is null && import.IsCompleted)
            {
                importDone = clock.Elapsed;
                var summary = (await import).Json();
                if (summary.GetProperty("matched").GetInt32() != count)
                {
                    throw new BenchFailedException($"bank import matched {summary.GetProperty("matched").GetInt32()} of {count} line(s): {summary}");
                }
            }
            var now = clock.Elapsed;
            if (allPaid is null)
            {
                var started = await api.CountPaymentsAsync(customer.Partner, $"{byCustomer}&status=started");
                if (started < count)
                {
                    firstPaid ??= now;
                }
                if (started == 0)
                {
                    allPaid = now;
                }
            }
            if (allPaid is not null && (sent = await api.CountPaymentsAsync(customer.Partner, $"{byCustomer}&status=coins_sent")) == count)
            {
                allSent = now;
                break;
            }
            await Task.Delay(Poll);
        }
        var cpu = CpuSnapshot.Take(server.Pid).Since(cpuAtImport);
        var importResult = await import;
        importDone ??= clock.Elapsed;
        return new SettlementResult([.. purchases.Select(p => p.PaymentId)], importDone.Value, allPaid!.Value - firstPaid!.Value,
            allSent.Value - firstPaid!.Value, importResult.Stdout.Trim(), sent, "from the import's start to the last coins_sent, " + cpu);
    }

    /// <summary>How long each purchase took from paid to coins_sent, from its PAY_IN and COINS_SENT events' created_at.</summary>
    public static List<double> PaidToSentMs(WebhookReceiver receiver, IReadOnlyCollection<string> paymentIds)
    {
        var wanted = paymentIds.ToHashSet(StringComparer.Ordinal);
        var events = receiver.Events.Where(e => e.ResourceId is not null && wanted.Contains(e.ResourceId)).ToList();
        var paid = events.Where(e => e.Type == "PAY_IN").GroupBy(e => e.ResourceId!).ToDictionary(g => g.Key, g => g.Min(e => e.CreatedAt), StringComparer.Ordinal);
        return [.. events.Where(e => e.Type == "COINS_SENT" && paid.ContainsKey(e.ResourceId!))
            .Select(e => (e.CreatedAt - paid[e.ResourceId!]).TotalMilliseconds)];
    }

    /// <summary>
    /// When the purchases were paid and when they were sent, in ms after the first PAY_IN: the import's span, then each
    /// commit that made purchases coins_sent (a mined transaction's purchases share one commit and one created_at). The
    /// gap before the last commit is the wait for the last transaction's confirmations.
    /// </summary>
    public static string Timeline(WebhookReceiver receiver, IReadOnlyCollection<string> paymentIds)
    {
        var wanted = paymentIds.ToHashSet(StringComparer.Ordinal);
        var events = receiver.Events.Where(e => e.ResourceId is not null && wanted.Contains(e.ResourceId)).ToList();
        var paid = events.Where(e => e.Type == "PAY_IN").Select(e => e.CreatedAt).ToList();
        if (paid.Count == 0)
        {
            return "";
        }
        var first = paid.Min();
        var commits = events.Where(e => e.Type == "COINS_SENT").GroupBy(e => e.CreatedAt).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{(g.Key - first).TotalMilliseconds:0} ({g.Select(e => e.ResourceId).Distinct().Count()})")).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"timeline, ms after the first PAY_IN: PAY_IN events 0–{(paid.Max() - first).TotalMilliseconds:0}; coins_sent commits (purchases) at {string.Join(", ", commits)}");
    }

    public static string Describe(SettlementResult result) => string.Create(CultureInfo.InvariantCulture,
        $"bank import command {result.ImportCommand.TotalSeconds:0.0} s (process start included); purchases marked paid at {result.PaidPerSecond:0} per second; import summary {result.ImportSummary}");
}
