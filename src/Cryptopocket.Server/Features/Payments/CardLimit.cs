using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Payments;

/// <summary>
/// The quarterly card limit per customer. Call inside a transaction after <see cref="DatabaseTransactions.LockCustomerAsync"/>
/// so that parallel purchases of one customer are checked one after another and cannot together exceed it.
/// </summary>
public static class CardLimit
{
    public static async Task<bool> WouldExceedAsync(
        AppDbContext db, long customerId, long addCents, decimal limit, DateTime now, string? excludePaymentId, CancellationToken cancellationToken)
    {
        var quarterStart = new DateTime(now.Year, ((now.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var used = await db.Payments
            .Where(p => p.CustomerId == customerId && p.PaymentType == PaymentTypes.Card && p.CreatedAt >= quarterStart
                        && p.Status != PaymentStatuses.PaymentRejected && p.Status != PaymentStatuses.Expired
                        && p.Id != excludePaymentId)
            .SumAsync(p => p.FiatAmountCents, cancellationToken);
        return used + addCents > (long)(limit * 100m);
    }
}
