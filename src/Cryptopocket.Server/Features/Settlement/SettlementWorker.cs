using System.Numerics;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Features.Webhooks;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Settlement;

/// <summary>
/// Runs settlement rounds for every configured chain. Everything it knows lives in the database, so it may be killed
/// at any point and started again, and several instances on one PostgreSQL cooperate through unique constraints.
/// A round runs every <see cref="SettlementOptions.PollInterval"/>, and (<see cref="SettlementOptions.WakeOnPayment"/>)
/// as soon as a PAY_IN event is committed, here or, on PostgreSQL, by another process such as <c>bank import</c>.
/// While transfers are in flight it also starts one as soon as their chain has a new block
/// (<see cref="SettlementOptions.BlockPollInterval"/>), since that is what confirms them.
/// </summary>
public sealed class SettlementWorker(IServiceScopeFactory scopes, ChainRegistry chains, IOptionsMonitor<SettlementOptions> options,
    WebhookSignal signal, TimeProvider clock, ILogger<SettlementWorker> logger) : BackgroundService
{
    /// <summary>
    /// The shortest time from one woken round's start to the next: a bank import commits its payments in chunks, and a
    /// round per chunk would sign many small batches where a moment's wait makes one larger one.
    /// </summary>
    private static readonly TimeSpan WokenRoundGap = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Waits up to a poll for the next round. True when a payment woke it (the caller leaves a short gap, so a chunked
    /// import makes one batch); false when the poll ran out or one of <paramref name="inFlight"/> (chains whose last
    /// round left transfers in flight) has a new block.
    /// </summary>
    private async Task<bool> WaitForPaymentOrBlockAsync(Wakeup paid, IReadOnlyList<string> inFlight, CancellationToken stoppingToken)
    {
        var current = options.CurrentValue;
        var watched = new List<(EvmRpcClient Node, BigInteger Head)>();
        if (current.BlockPollInterval > TimeSpan.Zero)
        {
            foreach (var name in inFlight)
            {
                if (chains.Find(name) is { } chain && chains.Node(chain) is var node && await HeadAsync(node, stoppingToken) is { } head)
                {
                    watched.Add((node, head));
                }
            }
        }
        if (watched.Count == 0)
        {
            return await paid.WaitAsync(current.PollInterval, stoppingToken);
        }
        var started = clock.GetTimestamp();
        for (var left = current.PollInterval; left > TimeSpan.Zero; left = current.PollInterval - clock.GetElapsedTime(started))
        {
            if (await paid.WaitAsync(left < current.BlockPollInterval ? left : current.BlockPollInterval, stoppingToken))
            {
                return true;
            }
            foreach (var (node, seen) in watched)
            {
                if (await HeadAsync(node, stoppingToken) is { } head && head != seen)
                {
                    return false;
                }
            }
        }
        return false;
    }

    /// <summary>The node's latest block, or null when it cannot be asked (the next round reports why).</summary>
    private async Task<BigInteger?> HeadAsync(EvmRpcClient node, CancellationToken stoppingToken)
    {
        try
        {
            return await node.BlockNumberAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogDebug(exception, "Could not read the latest block");
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.PollInterval, clock);
        var paid = signal.WakeOn(EventTypes.PayIn);
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = clock.GetTimestamp();
            var more = false;
            var inFlight = new List<string>();
            if (options.CurrentValue.Enabled)
            {
                foreach (var chain in chains.Chains.Keys)
                {
                    try
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        var round = await scope.ServiceProvider.GetRequiredService<ChainSettlement>().RunRoundAsync(chain, stoppingToken);
                        more |= round.FullBatch && options.CurrentValue.DrainWhenFull;
                        if (round.InFlight)
                        {
                            inFlight.Add(chain);
                        }
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        // A node or signer that is down is retried next round; nothing is lost meanwhile.
                        logger.LogWarning(exception, "Settlement round on {Chain} failed", chain);
                    }
                }
            }
            // A full batch means purchases are queuing: go again at once rather than wait for the next tick.
            if (more)
            {
                continue;
            }
            try
            {
                if (!options.CurrentValue.WakeOnPayment)
                {
                    if (!await timer.WaitForNextTickAsync(stoppingToken))
                    {
                        break;
                    }
                }
                else if (await WaitForPaymentOrBlockAsync(paid, inFlight, stoppingToken))
                {
                    var pause = WokenRoundGap - clock.GetElapsedTime(started);
                    if (pause > TimeSpan.Zero)
                    {
                        await Task.Delay(pause, clock, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }
}

public static class SettlementSetup
{
    public static IServiceCollection AddSettlement(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SettlementOptions>(configuration.GetSection("Settlement"));
        services.AddHttpClient("evm", http => http.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<ChainRegistry>();
        services.AddScoped<ChainSettlement>();
        services.AddHostedService<SettlementWorker>();
        return services;
    }
}
