using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Webhooks;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Settlement;

/// <summary>
/// Runs settlement rounds for every configured chain. Everything it knows lives in the database, so it may be killed
/// at any point and started again, and several instances on one PostgreSQL cooperate through unique constraints.
/// A round runs every <see cref="SettlementOptions.PollInterval"/>, and (<see cref="SettlementOptions.WakeOnPayment"/>)
/// as soon as a PAY_IN event is committed, here or, on PostgreSQL, by another process such as <c>bank import</c>.
/// </summary>
public sealed class SettlementWorker(IServiceScopeFactory scopes, ChainRegistry chains, IOptionsMonitor<SettlementOptions> options,
    WebhookSignal signal, TimeProvider clock, ILogger<SettlementWorker> logger) : BackgroundService
{
    /// <summary>
    /// The shortest time from one woken round's start to the next: a bank import commits its payments in chunks, and a
    /// round per chunk would sign many small batches where a moment's wait makes one larger one.
    /// </summary>
    private static readonly TimeSpan WokenRoundGap = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.PollInterval, clock);
        var paid = signal.WakeOn(EventTypes.PayIn);
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = clock.GetTimestamp();
            var more = false;
            if (options.CurrentValue.Enabled)
            {
                foreach (var chain in chains.Chains.Keys)
                {
                    try
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        more |= await scope.ServiceProvider.GetRequiredService<ChainSettlement>().RunRoundAsync(chain, stoppingToken)
                                && options.CurrentValue.DrainWhenFull;
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
                else if (await paid.WaitAsync(options.CurrentValue.PollInterval, stoppingToken))
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
