using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Data;

/// <summary>
/// <see cref="MultiRowUpdate"/>, which writes a batch's customers' card use without tracking them: each row gets its
/// own values, exactly as SaveChanges would store them; other rows and other columns are left alone; nothing is written
/// outside a transaction or by one rolled back. On PostgreSQL, also as one part of a statement atomic by itself
/// (<see cref="RowStatement.AloneAsync"/>, as the webhook runner saves its outcomes).
/// </summary>
public sealed class MultiRowUpdateTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string[] UseColumns = [nameof(Customer.CardUseQuarter), nameof(Customer.CardUseCents)];

    private Task<Customer> ReadAsync(long id) => server.QueryAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == id));

    private async Task<long[]> CustomersAsync(int count)
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await kit.RegisterAsync();
        }
        return ids;
    }

    [Fact]
    public async Task EachRowGetsItsOwnValuesAndNothingElseChanges()
    {
        var ids = await CustomersAsync(3);
        var before = await ReadAsync(ids[2]);
        var emailBefore = (await ReadAsync(ids[0])).Email;
        // A time to the microsecond: what a type mapping could lose.
        var first = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1234560);
        var second = new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc);

        await server.QueryAsync(async db =>
        {
            var rows = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync();
            rows[0].CardUseQuarter = first;
            rows[0].CardUseCents = 123_45;
            // Changed in memory, not named: must not be written.
            rows[0].Email = "changed@example.com";
            rows[1].CardUseQuarter = second;
            rows[1].CardUseCents = long.MaxValue;
            await using var transaction = await db.Database.BeginTransactionAsync();
            await MultiRowUpdate.UpdateAsync(db, rows.Take(2).ToList(), UseColumns, CancellationToken.None);
            await transaction.CommitAsync();
            return 0;
        });

        var (a, b, c) = (await ReadAsync(ids[0]), await ReadAsync(ids[1]), await ReadAsync(ids[2]));
        Assert.Equal((first, 123_45L, DateTimeKind.Utc), (a.CardUseQuarter!.Value, a.CardUseCents, a.CardUseQuarter.Value.Kind));
        Assert.Equal(emailBefore, a.Email);
        Assert.Equal((second, long.MaxValue), (b.CardUseQuarter!.Value, b.CardUseCents));
        Assert.Equal((before.CardUseQuarter, before.CardUseCents), (c.CardUseQuarter, c.CardUseCents));
    }

    [Fact]
    public async Task ANullIsWrittenAsNullBesideAValue()
    {
        var ids = await CustomersAsync(2);
        var quarter = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        await server.QueryAsync(async db =>
        {
            var rows = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync();
            (rows[0].CardUseQuarter, rows[0].CardUseCents) = (quarter, 7);
            (rows[1].CardUseQuarter, rows[1].CardUseCents) = (quarter, 8);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await MultiRowUpdate.UpdateAsync(db, rows, UseColumns, CancellationToken.None);
            rows[0].CardUseQuarter = null;
            await MultiRowUpdate.UpdateAsync(db, rows, UseColumns, CancellationToken.None);
            await transaction.CommitAsync();
            return 0;
        });

        // Not the column type's default (0001-01-01), which an array of a non-nullable provider type would hold.
        Assert.Null((await ReadAsync(ids[0])).CardUseQuarter);
        Assert.Equal(quarter, (await ReadAsync(ids[1])).CardUseQuarter);
    }

    [Fact]
    public async Task OutsideATransactionOrRolledBackNothingIsWritten()
    {
        var ids = await CustomersAsync(1);
        var before = await ReadAsync(ids[0]);

        var refused = await server.QueryAsync(async db =>
        {
            var row = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == ids[0]);
            row.CardUseCents = 999;
            return await Assert.ThrowsAsync<InvalidOperationException>(() => MultiRowUpdate.UpdateAsync(db, [row], UseColumns, CancellationToken.None));
        });
        await server.QueryAsync(async db =>
        {
            var row = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == ids[0]);
            row.CardUseCents = 888;
            await using var transaction = await db.Database.BeginTransactionAsync();
            await MultiRowUpdate.UpdateAsync(db, [row], UseColumns, CancellationToken.None);
            await transaction.RollbackAsync();
            return 0;
        });

        Assert.Contains("inside the transaction", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before.CardUseCents, (await ReadAsync(ids[0])).CardUseCents);
    }

    [PostgresFact("SQLite has no data-modifying WITH; its callers use a transaction.")]
    public async Task PartsOfOneStatementAloneAreWrittenTogetherOrNotAtAll()
    {
        var ids = await CustomersAsync(2);
        var before = await ReadAsync(ids[0]);

        async Task RunAsync(Action<Customer> second)
        {
            await server.QueryAsync(async db =>
            {
                var rows = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync();
                rows[0].CardUseCents = 555;
                second(rows[1]);
                await using var statement = await RowStatement.AloneAsync(db, "WITH first AS (", CancellationToken.None);
                MultiRowUpdate.AppendTo(statement, db, [rows[0]], UseColumns).Text.Append(") ");
                await MultiRowUpdate.AppendTo(statement, db, [rows[1]], [nameof(Customer.CardUseCents), nameof(Customer.Email)]).ExecuteAsync(CancellationToken.None);
                return 0;
            });
        }

        // The second part breaks a NOT NULL column: the first part's change goes with it.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => RunAsync(c => c.Email = null!));
        Assert.Equal(before.CardUseCents, (await ReadAsync(ids[0])).CardUseCents);

        await RunAsync(c => c.CardUseCents = 666);
        Assert.Equal((555L, 666L), ((await ReadAsync(ids[0])).CardUseCents, (await ReadAsync(ids[1])).CardUseCents));
    }
}
