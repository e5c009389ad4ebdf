using System.Globalization;
using Cryptopocket.Bench.Baselines;
using Cryptopocket.Bench.Load;
using Cryptopocket.Bench.Phases;
using Cryptopocket.Bench.Platform;
using Cryptopocket.Bench.Processes;
using Cryptopocket.Bench.Reporting;

namespace Cryptopocket.Bench;

/// <summary>The machine's ceilings the ratios are taken against: the higher of each baseline's two measurements.</summary>
public sealed record Ceilings(double BareRequestsPerSecond, double PgBenchTps);

/// <summary>
/// The run's phases and what they measured. The bare endpoint and pgbench are measured at the start and again at the
/// end: a machine whose capacity changes during the run (another build, a busy hypervisor) shows as two different
/// figures, and the ratios use the higher of the two, so a slow moment never flatters a phase.
/// </summary>
public sealed class RunContext(BenchSettings settings, Postgres postgres, Action<string> log)
{
    /// <summary>Rows whose ratio needs the ceilings, which are known only once the end baselines ran.</summary>
    private readonly List<Func<Ceilings, PhaseResult>> _rows = [];

    /// <summary>The server's peak RSS after each phase, so that a high peak can be traced to the phase that raised it.</summary>
    private readonly List<string> _memoryByPhase = [];

    /// <summary>What the server's resident memory was made of at each phase's highest moment.</summary>
    private readonly List<string> _memoryMakeUpByPhase = [];

    /// <summary>CPU use by process when the last phase ended: the start of the next phase's count.</summary>
    private CpuSnapshot? _cpuAtPhaseStart;

    public List<PhaseResult> Rows { get; } = [];
    public List<string> Raw { get; } = [];
    public string PostgresDescription { get; private set; } = "";

    public async Task RunAsync()
    {
        PostgresDescription = $"PostgreSQL {await postgres.VersionAsync()} ({await postgres.DurabilitySettingsAsync()})";
        var bareStart = await BareAsync("start");
        var pgStart = await PgBenchAsync("start");

        await using (var server = await StartServerAsync())
        {
            await MeasureServerAsync(server);
        }

        log("Start to ready (SQLite, --no-chain)");
        var starts = await StartupPhase.RunAsync(settings);
        var median = StartupPhase.Median(starts);
        _rows.Add(_ => new PhaseResult
        {
            Phase = "start to ready (SQLite sandbox, no chain)",
            Value = string.Create(CultureInfo.InvariantCulture, $"{median:0} ms (median of {starts.Count})"),
            Target = "< 2 s", Met = median < 2000, Notes = [$"runs: {StartupPhase.Describe(starts)}"],
        });

        var bareEnd = await BareAsync("end");
        var pgEnd = await PgBenchAsync("end");
        var bare = bareEnd.RequestsPerSecond > bareStart.RequestsPerSecond ? bareEnd : bareStart;
        var pgbench = pgEnd.Tps > pgStart.Tps ? pgEnd : pgStart;
        var ceilings = new Ceilings(bare.RequestsPerSecond, pgbench.Tps);
        Rows.Add(Row.Load("bare ASP.NET Core JSON endpoint (baseline)", bare) with
        {
            Notes = [Spread("req/s", bareStart.RequestsPerSecond, bareEnd.RequestsPerSecond)],
        });
        Rows.Add(new PhaseResult
        {
            Phase = "pgbench single-row INSERT (baseline)", Rate = pgbench.Tps, RateUnit = "tx/s", Errors = pgbench.Failed,
            Notes = [Spread("tx/s", pgStart.Tps, pgEnd.Tps), string.Create(CultureInfo.InvariantCulture, $"average latency {pgbench.AverageLatencyMs:0.00} ms")],
        });
        Rows.AddRange(_rows.Select(row => row(ceilings)));
    }

    /// <summary>Both measurements of a baseline, and a warning when they differ by more than a fifth.</summary>
    private static string Spread(string unit, double start, double end)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"start {start:0} {unit}, end {end:0} {unit}; ratios use the higher");
        return Math.Abs(start - end) > 0.2 * Math.Max(start, end)
            ? text + " — **they differ by more than 20 %: the machine's capacity changed during the run, so the ratios are uncertain**"
            : text;
    }

    private async Task<LoadResult> BareAsync(string when)
    {
        log($"Baseline ({when}): bare ASP.NET Core endpoint");
        var bare = await BareBaseline.RunAsync(settings);
        Raw.Add(string.Create(CultureInfo.InvariantCulture,
            $"bare endpoint ({when}): {bare.Succeeded} answers in {bare.Window.TotalSeconds:0.#} s = {bare.RequestsPerSecond:0} req/s, {bare.Latency}, {bare.ErrorsTotal} errors"));
        return bare;
    }

    private async Task<PgBenchResult> PgBenchAsync(string when)
    {
        log($"Baseline ({when}): pgbench single-row INSERT");
        var pgbench = await PgBenchBaseline.RunAsync(postgres, settings.Connections, settings.PgBenchSeconds, settings.WorkDir);
        Raw.Add($"pgbench ({when}): `{pgbench.CommandLine}` → {pgbench.Summary}");
        return pgbench;
    }

    private async Task<CryptopocketServer> StartServerAsync()
    {
        log("Starting cryptopocket serve on PostgreSQL with its sandbox chain");
        var server = await CryptopocketServer.StartAsync(settings, postgres);
        log($"Server ready on {server.BaseAddress} (pid {server.Pid})");
        return server;
    }

    /// <summary>Notes the server's memory after a phase; returns where the machine's CPU went during it.</summary>
    private string EndPhase(CryptopocketServer server, MemorySampler sampler, string phase)
    {
        if (ProcessTable.PeakRssBytes(server.Pid) is { } peak)
        {
            _memoryByPhase.Add(string.Create(CultureInfo.InvariantCulture, $"{phase} {peak / 1e6:0}"));
        }
        if (sampler.TakeHighest() is { } highest)
        {
            _memoryMakeUpByPhase.Add($"{phase} {highest.Describe()}");
        }
        var cpu = CpuSnapshot.Take(server.Pid);
        var spent = _cpuAtPhaseStart is { } start ? cpu.Since(start) : "";
        _cpuAtPhaseStart = cpu;
        return spent;
    }

    private async Task MeasureServerAsync(CryptopocketServer server)
    {
        await using var sampler = new MemorySampler(server.Pid);
        EndPhase(server, sampler, "started");
        using var api = new PartnerApi(server.BaseAddress);
        await using var receiver = await WebhookReceiver.StartAsync(FreePorts.Next());
        var seed = await Seeder.RunAsync(settings, server, api, log);
        foreach (var partner in seed.Partners)
        {
            foreach (var type in WebhookPhase.SubscribedTypes)
            {
                await api.SubscribeAsync(partner, type, receiver.UrlFor(partner));
            }
        }
        await WebhookPhase.WarmUpAsync(api, seed.Partners, receiver);
        EndPhase(server, sampler, "seeded");
        log($"Every partner subscribed to {string.Join(" and ", WebhookPhase.SubscribedTypes)} at {receiver.BaseAddress}; a test event reached each subscription");

        log("Load: GET /api/quote");
        var quote = await ApiPhases.QuoteAsync(settings, server.BaseAddress, seed);
        var quoteCpu = EndPhase(server, sampler, "quote");
        _rows.Add(c => Row.Ratio("GET /api/quote", quote, quote.RequestsPerSecond / c.BareRequestsPerSecond, "bare",
            "≥ 0.5× bare, p99 < 10 ms", r => r >= 0.5 && quote.Latency.P99Ms < 10 && quote.ErrorsTotal == 0).WithNote(quoteCpu));

        log("Load: POST /api/createGuidedPayment");
        var (guided, created) = await ApiPhases.GuidedAsync(settings, server.BaseAddress, seed);
        var countProblems = await GuidedChecks.CountsMatchAsync(api, seed, created);
        var probe = await GuidedChecks.LimitProbeAsync(settings, api, seed.LimitProbeCustomer);
        var guidedCpu = EndPhase(server, sampler, "createGuidedPayment");
        var exact = countProblems.Count == 0 && probe.Created == probe.Allowed && probe.Listed == probe.Allowed && probe.Other == 0;
        _rows.Add(c => Row.Ratio("POST /api/createGuidedPayment", guided, guided.RequestsPerSecond / c.PgBenchTps, "pgbench",
            "≥ 0.25× pgbench, 0 errors, limits exact", r => r >= 0.25 && guided.ErrorsTotal == 0 && exact) with
        {
            Notes =
            [
                $"{created.Count} purchases answered created (warm-up included) for {seed.Buyers.Count} customers; per partner, GET /api/payments totals " +
                (countProblems.Count == 0 ? "equal the creations" : "differ: " + string.Join(", ", countProblems)),
                $"limit probe: {probe.Created + probe.Refused + probe.Other} concurrent {GuidedChecks.ProbeAmount} EUR purchases for one customer → " +
                $"{probe.Created} created, {probe.Refused} limit_exceded, {probe.Other} other; listed {probe.Listed}; the quarterly limit allows {probe.Allowed}",
                .. Row.ErrorNotes(guided),
                guidedCpu,
            ],
        });

        log("Load: GET /api/payment/{id}");
        var detail = await ApiPhases.DetailAsync(settings, server.BaseAddress, created);
        var detailCpu = EndPhase(server, sampler, "payment detail");
        _rows.Add(c => Row.Ratio("GET /api/payment/{id}", detail, detail.RequestsPerSecond / c.BareRequestsPerSecond, "bare",
            "≥ 0.35× bare", r => r >= 0.35 && detail.ErrorsTotal == 0).WithNote(detailCpu));

        log($"Baseline: {settings.Transfers} plain ERC-20 transfers on the sandbox node");
        var chain = await ChainBaseline.RunAsync(server, settings.Transfers);
        var chainCpu = EndPhase(server, sampler, "chain baseline");
        _rows.Add(_ => new PhaseResult { Phase = "chain: plain ERC-20 transfers (baseline)", Rate = chain.TransfersPerSecond, RateUnit = "tx/s", Notes = [chainCpu] });
        Raw.Add(string.Create(CultureInfo.InvariantCulture,
            $"chain: {chain.Transfers} USDC transfer()s from dev account {chain.Sender} (eth_sendTransaction, 8 in flight) mined in {chain.Elapsed.TotalSeconds:0.00} s = {chain.TransfersPerSecond:0.0} tx/s"));

        log($"Settlement: {settings.Transfers} transfer purchases paid by a camt.054 import → coins_sent");
        var settlement = await SettlementPhase.RunAsync(settings, server, api, seed.SettlementCustomer, log);
        var real = await WebhookPhase.AwaitPurchaseEventsAsync(receiver, settlement.PaymentIds, TimeSpan.FromSeconds(60));
        var perPurchase = LatencySummary.FromMilliseconds(SettlementPhase.PaidToSentMs(receiver, settlement.PaymentIds));
        EndPhase(server, sampler, "settlement");
        var settlementRatio = settlement.PerSecond / chain.TransfersPerSecond;
        _rows.Add(_ => new PhaseResult
        {
            Phase = "settlement: paid → coins_sent", Rate = settlement.PerSecond, RateUnit = "purchases/s",
            P50Ms = perPurchase.P50Ms, P99Ms = perPurchase.P99Ms, MaxMs = perPurchase.MaxMs, Errors = settlement.PaymentIds.Count - settlement.Sent,
            Ratio = settlementRatio, RatioOf = "chain", Target = "≥ 0.8× chain", Met = settlement.Complete && settlementRatio >= 0.8,
            Notes =
            [
                settlement.Complete ? "" : $"only {settlement.Sent} of {settlement.PaymentIds.Count} purchases were coins_sent within the time limit",
                string.Create(CultureInfo.InvariantCulture, $"{settlement.Sent} purchases in {settlement.FirstPaidToAllSent.TotalSeconds:0.0} s from the first seen paid to the last coins_sent; latency columns: per purchase, PAY_IN → COINS_SENT created_at"),
                SettlementPhase.Describe(settlement),
                SettlementPhase.Timeline(receiver, settlement.PaymentIds),
                settlement.Cpu,
            ],
        });
        _rows.Add(_ => Row.Deliveries("webhooks: settlement's PAY_IN + COINS_SENT", real));

        log($"Webhook burst: up to {settings.WebhookEvents} events in {settings.WarmUp.TotalSeconds:0.#} s of warm-up + {settings.Duration.TotalSeconds:0.#} s");
        var burst = await WebhookPhase.BurstAsync(settings, server.BaseAddress, seed, receiver);
        var burstCpu = EndPhase(server, sampler, "webhook burst");
        // The burst's rate is bounded by how fast the API makes events: it judges latency under a steady stream; the
        // redelivered backlog that follows judges the rate the dispatcher itself can deliver.
        _rows.Add(_ => Row.Deliveries("webhooks: burst of WEBHOOK_TEST events", burst).WithNote(burstCpu));
        log($"Webhook redelivery: the burst's {burst.EventIds.Count} events made due again at once");
        var drain = await WebhookPhase.RedeliverAsync(settings, server, receiver, burst.EventIds);
        var drainCpu = EndPhase(server, sampler, "webhook redelivery");
        _rows.Add(_ => new PhaseResult
        {
            Phase = "webhooks: the burst redelivered at once (backlog)", Rate = drain.PerSecond, RateUnit = "deliveries/s",
            Errors = (drain.Expected ?? 0) - drain.Redelivered, Target = "≥ 2,000/s",
            Met = drain.Redelivered == drain.Expected && drain.PerSecond >= 2000,
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture,
                    $"`cryptopocket webhooks redeliver --from --to` over the burst scheduled {drain.Scheduled} deliveries ({drain.Command.TotalSeconds:0.0} s, process start included); {drain.Redelivered} of {drain.Expected} arrived again, from the first to the last over {drain.Span.TotalSeconds:0.00} s"),
                drainCpu,
            ],
        });
        if (receiver.Duplicates > 0 || receiver.Unreadable > 0)
        {
            Raw.Add($"receiver: {receiver.Duplicates} repeated deliveries, {receiver.Unreadable} unreadable bodies");
        }

        var peak = ProcessTable.PeakRssBytes(server.Pid) ?? throw new BenchFailedException("The server exited before its memory was read.");
        log($"Server memory: {server.DescribeMemory()}");
        var memory = new PhaseResult
        {
            Phase = "server peak RSS (VmHWM) under all of the above",
            Value = string.Create(CultureInfo.InvariantCulture, $"{peak / 1e6:0} MB"),
            Target = "< 250 MB", Met = peak < 250e6,
            Notes =
            [
                $"peak after each phase, MB: {string.Join(", ", _memoryByPhase)}",
                $"each phase's highest sample (every 50 ms), MB: {string.Join(", ", _memoryMakeUpByPhase)}",
                ServerLog.Summary(server.Process.LogPath),
            ],
        };
        _rows.Add(_ => memory);
    }
}
