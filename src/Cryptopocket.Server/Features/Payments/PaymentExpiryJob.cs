using Cryptopocket.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Payments;

/// <summary>
/// Expires purchases nobody paid before their locked quote ran out. Safe with several instances: each expiry is a
/// versioned update, so when two instances race for one purchase the second's save fails and it moves on.
/// </summary>
public sealed class PaymentExpiryJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PaymentExpiryJob> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await ExpireDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Expiring purchases failed; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<string> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Payments.AsNoTracking()
                .Where(p => p.Status == PaymentStatuses.Started && p.ExpiresAt <= now)
                .OrderBy(p => p.ExpiresAt).Select(p => p.Id).Take(500).ToListAsync(cancellationToken);
        }
        var expired = 0;
        foreach (var id in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var payment = await db.Payments.SingleAsync(p => p.Id == id, cancellationToken);
            if (payment.Status != PaymentStatuses.Started)
            {
                continue;
            }
            try
            {
                await scope.ServiceProvider.GetRequiredService<PaymentLifecycle>().ExpireAsync(payment, cancellationToken);
                expired++;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Paid, rejected or expired by someone else in the meantime: their change stands.
            }
        }
        return expired;
    }
}
