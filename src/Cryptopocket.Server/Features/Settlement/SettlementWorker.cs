using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Settlement;

/// <summary>
/// Runs settlement rounds for every configured chain. Everything it knows lives in the database, so it may be killed
/// at any point and started again, and several instances on one PostgreSQL cooperate through unique constraints.
/// </summary>
public sealed class SettlementWorker(IServiceScopeFactory scopes, ChainRegistry chains, IOptionsMonitor<SettlementOptions> options,
    TimeProvider clock, ILogger<SettlementWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.PollInterval, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
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
            if (!more && !await timer.WaitForNextTickAsync(stoppingToken))
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
