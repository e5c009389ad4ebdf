using System.Globalization;
using Cryptopocket.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>
/// Leases for deliveries, taken a run at a time. Whoever holds a delivery's lease is the only one that may send it;
/// a lease that runs out (its holder died) frees the delivery for the next instance, which sends it again.
/// </summary>
public static class WebhookLease
{
    /// <summary>How long past an attempt's timeout a lease lasts: time to save the outcome before anyone may take over.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Leases whichever of <paramref name="ids"/> are still pending, due and free, in one conditional update, and answers
    /// which ones it got: the rows themselves say, so two instances racing for the same run can never both win a row.
    /// </summary>
    public static async Task<HashSet<long>> TakeAsync(AppDbContext db, IReadOnlyCollection<long> ids, DateTime now, DateTime until, CancellationToken cancellationToken)
    {
        // EF's ExecuteUpdate answers only a count, which cannot say which rows of a contested run were won; both
        // providers take UPDATE … RETURNING. The ids are numbers, written inline so the statement works on both.
        var list = string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        var sql = "UPDATE webhook_deliveries SET claimed_until = {0} WHERE id IN (" + list + ") AND status = {1} AND next_attempt_at <= {2}"
                  + " AND (claimed_until IS NULL OR claimed_until < {2}) RETURNING id AS \"Value\"";
        var leased = await db.Database.SqlQueryRaw<long>(sql, until, WebhookDeliveryStatuses.Pending, now).ToListAsync(cancellationToken);
        return [.. leased];
    }

    /// <summary>
    /// Gives back leases taken but not used (a run cut short by a delivery someone else holds): only while still ours,
    /// so the next one in order is not kept waiting for the lease to run out.
    /// </summary>
    public static Task<int> ReleaseAsync(AppDbContext db, IReadOnlyCollection<long> ids, DateTime until, CancellationToken cancellationToken) =>
        db.WebhookDeliveries.Where(d => ids.Contains(d.Id) && d.ClaimedUntil == until)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.ClaimedUntil, (DateTime?)null), cancellationToken);

    /// <summary>A lease's end, to the millisecond, so it reads back equal from either database.</summary>
    public static DateTime Until(DateTime now, TimeSpan attemptTimeout)
    {
        var until = now + attemptTimeout + Margin;
        return new DateTime(until.Ticks - until.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
