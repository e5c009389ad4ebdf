using System.Globalization;
using Cryptopocket.Server.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

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
    /// <remarks>
    /// The statement's text is the same for every run, the ids travel as one parameter (an array on PostgreSQL, JSON
    /// for SQLite's json_each), and it runs on a command of its own. Written inline, each run's ids made a new text, and
    /// through EF's SqlQueryRaw each new text was a query EF compiled and cached anew: thousands of compiled queries
    /// (DynamicMethods and their code) and cached statement texts held in memory under a webhook load, and the compile
    /// cost on every run (docs/performance.md, "Twelfth session").
    /// </remarks>
    public static async Task<HashSet<long>> TakeAsync(AppDbContext db, IReadOnlyCollection<long> ids, DateTime now, DateTime until, CancellationToken cancellationToken)
    {
        var postgres = db.IsPostgres;
        var deliveries = db.Model.FindEntityType(typeof(WebhookDelivery))!;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = postgres
                ? "UPDATE webhook_deliveries SET claimed_until = $1 WHERE id = ANY($2) AND status = $3 AND next_attempt_at <= $4"
                  + " AND (claimed_until IS NULL OR claimed_until < $4) RETURNING id"
                : "UPDATE webhook_deliveries SET claimed_until = @until WHERE id IN (SELECT value FROM json_each(@ids)) AND status = @status"
                  + " AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now) RETURNING id";
            // The instants go through the columns' own type mappings: stored and compared exactly as EF writes them.
            void Add(string property, string name, object value) =>
                command.Parameters.Add(deliveries.FindProperty(property)!.GetRelationalTypeMapping().CreateParameter(command, postgres ? "" : name, value));
            Add(nameof(WebhookDelivery.ClaimedUntil), "until", until);
            command.Parameters.Add(postgres
                ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = ids.ToArray() }
                : new SqliteParameter("ids", "[" + string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]"));
            Add(nameof(WebhookDelivery.Status), "status", WebhookDeliveryStatuses.Pending);
            Add(nameof(WebhookDelivery.NextAttemptAt), "now", now);
            var leased = new HashSet<long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                leased.Add(reader.GetInt64(0));
            }
            return leased;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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
