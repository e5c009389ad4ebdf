using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Payments;

/// <summary>
/// The quarterly card limit per customer: the card purchases created in a UTC quarter that still count (not rejected,
/// not expired) may not exceed it. Each customer's use is kept on their row (<see cref="Customer.CardUseQuarter"/>,
/// <see cref="Customer.CardUseCents"/>) rather than summed on every purchase: a sum reads every purchase the customer
/// made this quarter, and a batch of purchases paid for that with most of its time (docs/performance.md, "Ninth session").
/// </summary>
/// <remarks>
/// Every change to what counts runs with the customer's row locked, in the transaction of the change, and locks it
/// before it touches a purchase's row (the order every such transaction follows, so none deadlocks another):
/// <list type="bullet">
/// <item>a new card purchase alone, and a guided purchase switching to card, read the locked, tracked customer and
/// <see cref="TryAddAsync"/> to it; a batch of purchases reads its customers locked but untracked, brings them up to date
/// (<see cref="BringUpToDateAsync"/>), <see cref="TryAdd"/>s each purchase and writes what changed with
/// <see cref="SaveUseAsync"/>;</item>
/// <item>a counted card purchase that is rejected, expires or switches away from card calls <see cref="ReleaseAsync"/>,
/// an UPDATE of the customer's row that waits for any purchase holding it.</item>
/// </list>
/// Parallel purchases of one customer are therefore checked one after another and cannot together exceed the limit.
/// </remarks>
public static class CardLimit
{
    public static long Cents(decimal limit) => (long)(limit * 100m);

    /// <summary>The first instant of the UTC quarter that holds <paramref name="utc"/>.</summary>
    public static DateTime QuarterOf(DateTime utc) => new(utc.Year, ((utc.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Whether the purchase is in its customer's card use: a card purchase neither rejected nor expired.</summary>
    public static bool Counts(Payment payment) =>
        payment.PaymentType == PaymentTypes.Card && payment.Status is not (PaymentStatuses.PaymentRejected or PaymentStatuses.Expired);

    /// <summary>
    /// Makes each customer's card use that of the quarter holding <paramref name="now"/>: a use kept for an earlier
    /// quarter starts again from zero, and a use never kept is summed from the purchases (one statement for all of them).
    /// The customers must be locked (<see cref="DatabaseTransactions.ReadCustomerAsync"/> tracks one for the caller's
    /// save, <see cref="DatabaseTransactions.ReadCustomersForUpdateAsync"/> reads many for <see cref="SaveUseAsync"/>);
    /// the sum is a statement of its own after the lock, so it sees every purchase committed before the lock was granted.
    /// </summary>
    public static async Task BringUpToDateAsync(AppDbContext db, IReadOnlyCollection<Customer> customers, DateTime now, CancellationToken cancellationToken)
    {
        var quarter = QuarterOf(now);
        var neverKept = customers.Where(c => c.CardUseQuarter is null).Select(c => c.Id).ToArray();
        var summed = neverKept.Length == 0 ? [] : await SumAsync(db, neverKept, quarter, cancellationToken);
        foreach (var customer in customers.Where(c => c.CardUseQuarter != quarter))
        {
            customer.CardUseCents = customer.CardUseQuarter is null ? summed.GetValueOrDefault(customer.Id) : 0;
            customer.CardUseQuarter = quarter;
        }
    }

    /// <summary>
    /// For a customer brought up to date: false when <paramref name="cents"/> more would exceed the limit; else adds a
    /// purchase created at <paramref name="createdAt"/> to the use (only in its own quarter does it count) and answers true.
    /// </summary>
    public static bool TryAdd(Customer customer, long cents, DateTime createdAt, long limitCents)
    {
        if (customer.CardUseCents + cents > limitCents)
        {
            return false;
        }
        if (customer.CardUseQuarter == QuarterOf(createdAt))
        {
            customer.CardUseCents += cents;
        }
        return true;
    }

    /// <summary>
    /// For one locked, tracked customer (saved by the caller's <c>SaveChanges</c>): brings the use up to date and
    /// <see cref="TryAdd"/>s the purchase to it; false when it would exceed the limit.
    /// </summary>
    public static async Task<bool> TryAddAsync(AppDbContext db, Customer customer, Payment payment, decimal limit, DateTime now,
        CancellationToken cancellationToken)
    {
        await BringUpToDateAsync(db, [customer], now, cancellationToken);
        return TryAdd(customer, payment.FiatAmountCents, payment.CreatedAt, Cents(limit));
    }

    /// <summary>
    /// Writes these untracked customers' card use as they hold it now, in one statement of the caller's transaction
    /// (a batch's customers: saving them through the change tracker was a third of what a batch allocated,
    /// docs/performance.md, "Tenth session").
    /// </summary>
    public static Task SaveUseAsync(AppDbContext db, IReadOnlyList<Customer> customers, CancellationToken cancellationToken) =>
        MultiRowUpdate.UpdateAsync(db, customers, UseColumns, cancellationToken);

    private static readonly string[] UseColumns = [nameof(Customer.CardUseQuarter), nameof(Customer.CardUseCents)];

    /// <summary>
    /// Takes a counted card purchase out of its customer's card use, before the purchase's own change is saved, in
    /// that change's transaction: the rejected, expired or switched purchase no longer counts. The UPDATE locks the
    /// customer's row even when the use is of another quarter or was never kept, so a purchase that sums the use
    /// waits for this transaction and then sees the purchase's new status.
    /// </summary>
    public static Task ReleaseAsync(AppDbContext db, Payment payment, CancellationToken cancellationToken)
    {
        var quarter = QuarterOf(payment.CreatedAt);
        var cents = payment.FiatAmountCents;
        return db.Customers.Where(c => c.Id == payment.CustomerId).ExecuteUpdateAsync(c => c.SetProperty(
            x => x.CardUseCents, x => x.CardUseQuarter == quarter ? x.CardUseCents - cents : x.CardUseCents), cancellationToken);
    }

    /// <summary>What each of these customers' counted card purchases created since <paramref name="quarter"/> add up to (customers with none are absent).</summary>
    public static async Task<Dictionary<long, long>> SumAsync(AppDbContext db, long[] customerIds, DateTime quarter, CancellationToken cancellationToken) =>
        await db.Payments.Where(p => customerIds.Contains(p.CustomerId) && p.PaymentType == PaymentTypes.Card && p.CreatedAt >= quarter
                                     && p.Status != PaymentStatuses.PaymentRejected && p.Status != PaymentStatuses.Expired)
            .GroupBy(p => p.CustomerId).Select(g => new { CustomerId = g.Key, Used = g.Sum(p => p.FiatAmountCents) })
            .ToDictionaryAsync(g => g.CustomerId, g => g.Used, cancellationToken);
}
