using System.Diagnostics;
using System.Globalization;
using Cryptopocket.EndToEnd.Tests.Infrastructure;
using Cryptopocket.Server.Infrastructure;
using Xunit.Abstractions;

namespace Cryptopocket.EndToEnd.Tests;

/// <summary>
/// Exactly-once settlement, proven with real processes: a Hardhat node and the project's signer that the test owns,
/// real <c>cryptopocket serve</c> processes killed with SIGKILL at random moments and started again, real purchases paid
/// by a real camt.053 import. The verdict comes from the chain itself (eth_getLogs, receipts, nonces, balances), not
/// from the server's tables. Runs alone: CPU starvation from other classes would only stretch its time caps.
/// </summary>
[Collection(SettlementCollection.Name)]
public sealed class SettlementExactlyOnceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan KillLoopCap = TimeSpan.FromMinutes(6);

    /// <summary>
    /// New transfers signed per round (Settlement:BatchSize, default 200; a round every 0.5 s here, full or not: DrainWhenFull is off). Smaller rounds keep
    /// the workers busy for longer, so that most random kills land while purchases are still being settled instead of
    /// after everything is done. Two instances get even smaller rounds: together they settle twice as fast, and a
    /// restart (about 3 s) takes longer than most kill windows.
    /// </summary>
    private const int OneInstanceBatchSize = 5;

    private const int TwoInstancesBatchSize = 3;

    /// <summary>
    /// A last resort beyond the kill loop's own cap (xUnit honours Timeout in a collection without parallelization);
    /// should it fire, the test host's exit still kills every server, node and signer.
    /// </summary>
    private const int WholeTestTimeoutMs = 9 * 60_000;

    [Fact(Timeout = WholeTestTimeoutMs)]
    public Task KilledRepeatedlyWhileSettlingEveryPurchaseGetsExactlyOneTransfer() => KilledRepeatedlyAsync(disperse: false);

    /// <summary>The same with batched payouts: every round's purchases go out as Disperse batches of several legs.</summary>
    [Fact(Timeout = WholeTestTimeoutMs)]
    public Task KilledRepeatedlyWhileSettlingInBatchesEveryPurchaseGetsExactlyOneTransfer() => KilledRepeatedlyAsync(disperse: true);

    private async Task KilledRepeatedlyAsync(bool disperse)
    {
        const int Purchases = 200;
        var random = Seeded();
        var total = Stopwatch.StartNew();
        await using var rig = await SettlementRig.CreateAsync(output, hotWalletUsdc: 1_000_000m, batchSize: OneInstanceBatchSize, disperse: disperse);
        Phase(total, "chain, database, server and customer ready");
        var purchases = await rig.CreateTransferPurchasesAsync(Purchases, random);
        Phase(total, $"{Purchases} purchases created");
        // The statement is imported while no server runs, so that all 200 are still to be settled when the kills begin.
        await rig.KillAsync(rig.Servers.Single());
        await rig.PayByBankStatementAsync(purchases);
        Phase(total, "bank statement imported (no server running)");

        var server = await rig.StartServerAsync();
        var clock = Stopwatch.StartNew();
        var kills = new List<(double At, int CoinsSent)>();
        while (true)
        {
            Assert.True(clock.Elapsed < KillLoopCap,
                $"Not every purchase was coins_sent within {KillLoopCap} ({Describe(kills)}).\n{Tail(rig.AllServerOutput)}\n{rig.Chain.Output}");
            await Task.Delay(random.Next(500, 3001));
            var sent = await rig.CountAsync("coins_sent");
            if (sent == Purchases && kills.Count >= 5)
            {
                break;
            }
            await rig.KillAsync(server);
            kills.Add((clock.Elapsed.TotalSeconds, sent));
            server = await rig.StartServerAsync();
        }
        Report(rig, clock.Elapsed, kills, Purchases);
        Phase(total, "kill loop over");

        await rig.VerifyExactlyOnceOnChainAsync(purchases);
        Phase(total, "verified on chain");
        Assert.True(kills.Count(k => k.CoinsSent < Purchases) >= 3, $"Too few kills landed while settlement was still going on ({Describe(kills)}).");
    }

    [PostgresFact("several servers share one database only there.", Timeout = WholeTestTimeoutMs)]
    public async Task TwoInstancesOnOnePostgresSettleEachPurchaseOnce()
    {
        const int Purchases = 100;
        var random = Seeded();
        var total = Stopwatch.StartNew();
        await using var rig = await SettlementRig.CreateAsync(output, hotWalletUsdc: 1_000_000m, batchSize: TwoInstancesBatchSize);
        Phase(total, "chain, database, server and customer ready");
        var purchases = await rig.CreateTransferPurchasesAsync(Purchases, random);
        Phase(total, $"{Purchases} purchases created");
        await rig.KillAsync(rig.Servers.Single());
        await rig.PayByBankStatementAsync(purchases);
        Phase(total, "bank statement imported (no server running)");

        // Both at once: neither gets a head start on the other.
        await Task.WhenAll(rig.StartServerAsync(), rig.StartServerAsync());
        var clock = Stopwatch.StartNew();
        var kills = new List<(double At, int CoinsSent)>();
        while (true)
        {
            Assert.True(clock.Elapsed < KillLoopCap,
                $"Not every purchase was coins_sent within {KillLoopCap} ({Describe(kills)}).\n{Tail(rig.AllServerOutput)}\n{rig.Chain.Output}");
            // Shorter windows than with one server: two instances settle 100 purchases in a few seconds.
            await Task.Delay(random.Next(500, 2001));
            var sent = await rig.CountAsync("coins_sent");
            if (sent == Purchases && kills.Count >= 4)
            {
                break;
            }
            // One or the other at random; the survivor keeps settling while the victim restarts.
            await rig.KillAsync(rig.Servers[random.Next(rig.Servers.Count)]);
            kills.Add((clock.Elapsed.TotalSeconds, sent));
            await rig.StartServerAsync();
            Assert.Equal(2, rig.Servers.Count);
        }
        Report(rig, clock.Elapsed, kills, Purchases);
        Phase(total, "kill loop over");

        await rig.VerifyExactlyOnceOnChainAsync(purchases);
        Phase(total, "verified on chain");
        Assert.True(kills.Count(k => k.CoinsSent < Purchases) >= 2, $"Too few kills landed while settlement was still going on ({Describe(kills)}).");
    }

    [Fact(Timeout = 180_000)]
    public async Task AHotWalletWithoutTokensLeavesPurchasesWaitingAndRaisesAnAlert()
    {
        const string AlertKey = "hot_wallet_low:polygon:USDC";
        await using var rig = await SettlementRig.CreateAsync(output, hotWalletUsdc: 5m);
        var purchase = await rig.CreateTransferPurchaseAsync(50m, LocalChain.RandomAddress());
        await rig.PayByBankStatementAsync([purchase]);

        // At least ten settlement rounds (poll interval 0.5 s) with too few tokens: paid, waiting, nothing on chain.
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < TimeSpan.FromSeconds(5.5))
        {
            var detail = await rig.DetailAsync(purchase.PaymentId);
            Assert.True(detail.Text("status") == "payment_received", $"Expected the purchase to wait in payment_received: {detail}\n{rig.AllServerOutput}");
            await Task.Delay(500);
        }
        Assert.Empty(await rig.Chain.TransfersFromAsync(rig.Chain.HotWallet));
        Assert.Equal(0, (int)await rig.Chain.TransactionCountAsync(rig.Chain.HotWallet, "pending"));
        Assert.Equal((1, 0), await rig.AlertsAsync(AlertKey));

        await rig.Chain.MintAsync(rig.Chain.HotWallet, 1_000m);

        var settling = Stopwatch.StartNew();
        while (true)
        {
            var detail = await rig.DetailAsync(purchase.PaymentId);
            if (detail.Text("status") == "coins_sent")
            {
                break;
            }
            Assert.True(settling.Elapsed < TimeSpan.FromSeconds(60), $"Not coins_sent 60 s after the top-up: {detail}\n{Tail(rig.AllServerOutput)}");
            await Task.Delay(250);
        }
        output.WriteLine($"coins_sent {settling.Elapsed.TotalSeconds:0.0} s after the top-up");
        await rig.VerifyExactlyOnceOnChainAsync([purchase]);
        Assert.Equal((0, 1), await rig.AlertsAsync(AlertKey));
    }

    private Random Seeded()
    {
        var seed = Environment.GetEnvironmentVariable("CRYPTOPOCKET_TEST_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (CRYPTOPOCKET_TEST_SEED repeats the amounts and the kill timing)");
        return new Random(seed);
    }

    private void Report(SettlementRig rig, TimeSpan elapsed, List<(double At, int CoinsSent)> kills, int purchases)
    {
        rig.CountLiveServerLogs();
        output.WriteLine($"{TestDatabase.Provider}: all {purchases} coins_sent {elapsed.TotalSeconds:0.0} s after the first start; " +
            $"{kills.Count(k => k.CoinsSent < purchases)} of {kills.Count} SIGKILLs mid-settlement ({rig.Kills} in all, the idle one before the import included)");
        output.WriteLine("kills (s since start: coins_sent just before): " + Describe(kills));
        output.WriteLine("server log counts: " + string.Join(", ", rig.LogCounts.Select(c => $"'{c.Key}' {c.Value}")));
        foreach (var (entry, count) in rig.ProblemLogEntries.OrderByDescending(e => e.Value).Take(20))
        {
            output.WriteLine($"  {count,4} × {entry}");
        }
    }

    private static string Describe(List<(double At, int CoinsSent)> kills) =>
        kills.Count == 0 ? "no kills yet" : string.Join(", ", kills.Select(k => $"{k.At:0.0}:{k.CoinsSent}"));

    private void Phase(Stopwatch clock, string what)
    {
        output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {what}");
    }

    private static string Tail(string text) => text.Length <= 20_000 ? text : "…" + text[^20_000..];
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SettlementCollection
{
    public const string Name = "Settlement with a real chain and killed servers";
}
