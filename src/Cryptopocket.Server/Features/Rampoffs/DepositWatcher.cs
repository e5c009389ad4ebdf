using Microsoft.Extensions.Options;
using Cryptopocket.Server.Features.Settlement;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>
/// Runs the off-ramp's background rounds: for every chain with a deposit factory, read new confirmed blocks, close
/// overdue operations once caught up, and sweep; then complete sandbox payouts. Everything it knows lives in the
/// database, so it may be killed at any point, and several instances on one PostgreSQL cooperate.
/// </summary>
public sealed class DepositWatcher(IServiceScopeFactory scopes, ChainRegistry chains, IOptionsMonitor<RampoffOptions> options,
    IOptionsMonitor<SettlementOptions> settlement, TimeProvider clock, ILogger<DepositWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.PollInterval, clock);
        do
        {
            if (!settlement.CurrentValue.Enabled)
            {
                continue;
            }
            foreach (var chain in chains.Chains.Where(c => c.Value.DepositFactory.Length > 0).Select(c => c.Key))
            {
                await RunAsync($"Deposit round on {chain}", sp => ChainRoundAsync(sp, chain, stoppingToken), stoppingToken);
            }
            await RunAsync("Sandbox payouts", sp => sp.GetRequiredService<PayoutService>().CompleteSandboxPayoutsAsync(stoppingToken), stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public static async Task ChainRoundAsync(IServiceProvider services, string chain, CancellationToken cancellationToken)
    {
        var watch = services.GetRequiredService<DepositWatch>();
        if (await watch.ScanAsync(chain, cancellationToken))
        {
            await watch.CloseOverdueAsync(chain, cancellationToken);
        }
        await services.GetRequiredService<DepositSweeper>().RunRoundAsync(chain, cancellationToken);
    }

    private async Task RunAsync(string what, Func<IServiceProvider, Task> round, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await round(scope.ServiceProvider);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A node that is down, or another instance that won a race, is retried next round; nothing is lost meanwhile.
            logger.LogWarning(exception, "{What} failed", what);
        }
    }
}
