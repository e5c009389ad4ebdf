using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cryptopocket.Server.Data;

public static class DatabaseTransactions
{
    /// <summary>
    /// Starts a transaction, or joins the caller's (the idempotency filter wraps handlers that open their own).
    /// On SQLite, Microsoft.Data.Sqlite begins IMMEDIATE transactions, which take the write lock up front: writers
    /// are serialised, so a read-check-write inside one cannot race another.
    /// </summary>
    public static async Task<IDbContextTransaction?> BeginOrJoinAsync(this AppDbContext db, CancellationToken cancellationToken) =>
        db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;

    /// <summary>
    /// The integration's customer with that id, or null. Without <paramref name="forUpdate"/>: untracked. With it,
    /// inside a transaction: tracked, and locked in the same round trip, which serialises writers that check a
    /// customer-wide rule (the quarterly card limit) before they write; on SQLite the IMMEDIATE transaction already
    /// holds the database's write lock. Nothing is locked when there is no such customer.
    /// </summary>
    public static async Task<Customer?> ReadCustomerAsync(this AppDbContext db, long customerId, int integrationId, bool forUpdate,
        CancellationToken cancellationToken)
    {
        if (!forUpdate || !db.IsPostgres)
        {
            var customers = forUpdate ? db.Customers : db.Customers.AsNoTracking();
            return await customers.SingleOrDefaultAsync(c => c.Id == customerId && c.IntegrationId == integrationId, cancellationToken);
        }
        // Not composed with LINQ: EF would wrap the locking query in a subquery.
        var rows = await db.Customers
            .FromSql($"SELECT * FROM customers WHERE id = {customerId} AND integration_id = {integrationId} FOR UPDATE")
            .ToListAsync(cancellationToken);
        return rows.SingleOrDefault();
    }

    /// <summary>
    /// Inside a transaction: these customers, each locked as <see cref="ReadCustomerAsync"/> locks one (in id order, so
    /// two such transactions cannot deadlock), by id; untracked, for a caller that writes what it changes itself
    /// (<see cref="Features.Payments.CardLimit.SaveUseAsync"/>). Ids without a customer are absent.
    /// </summary>
    public static async Task<Dictionary<long, Customer>> ReadCustomersForUpdateAsync(this AppDbContext db, long[] customerIds,
        CancellationToken cancellationToken)
    {
        var customers = db.IsPostgres
            ? db.Customers.FromSql($"SELECT * FROM customers WHERE id = ANY({customerIds}) ORDER BY id FOR UPDATE")
            : db.Customers.Where(c => customerIds.Contains(c.Id));
        return await customers.AsNoTracking().ToDictionaryAsync(c => c.Id, cancellationToken);
    }
}
