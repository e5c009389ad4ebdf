using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Payments;

/// <summary>
/// The quarterly card limit per customer. Read inside a transaction after the customer's row is locked
/// (<see cref="DatabaseTransactions.LockCustomerAsync"/>, <see cref="DatabaseTransactions.ReadCustomersForUpdateAsync"/>),
/// in a statement of its own (so it sees every purchase committed before the lock was granted): parallel purchases of
/// one customer are then checked one after another and cannot together exceed it.
/// </summary>
public static class CardLimit
{
    public static async Task<bool> WouldExceedAsync(
        AppDbContext db, long customerId, long addCents, decimal limit, DateTime now, string? excludePaymentId, CancellationToken cancellationToken)
    {
        var used = await Counted(db, now).Where(p => p.CustomerId == customerId && p.Id != excludePaymentId)
            .SumAsync(p => p.FiatAmountCents, cancellationToken);
        return used + addCents > Cents(limit);
    }

    /// <summary>The card cents each of these customers has used this quarter (customers with none are absent).</summary>
    public static async Task<Dictionary<long, long>> UsedAsync(AppDbContext db, long[] customerIds, DateTime now, CancellationToken cancellationToken) =>
        await Counted(db, now).Where(p => customerIds.Contains(p.CustomerId))
            .GroupBy(p => p.CustomerId).Select(g => new { CustomerId = g.Key, Used = g.Sum(p => p.FiatAmountCents) })
            .ToDictionaryAsync(g => g.CustomerId, g => g.Used, cancellationToken);

    public static long Cents(decimal limit) => (long)(limit * 100m);

    /// <summary>Card purchases of the quarter that holds <paramref name="now"/> (UTC) that still count: not rejected, not expired.</summary>
    private static IQueryable<Payment> Counted(AppDbContext db, DateTime now)
    {
        var quarterStart = new DateTime(now.Year, ((now.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return db.Payments.Where(p => p.PaymentType == PaymentTypes.Card && p.CreatedAt >= quarterStart
                                      && p.Status != PaymentStatuses.PaymentRejected && p.Status != PaymentStatuses.Expired);
    }
}
