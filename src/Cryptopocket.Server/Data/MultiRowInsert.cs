using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Cryptopocket.Server.Data;

/// <summary>
/// Inserts many new rows of one entity type with multi-row <c>INSERT … VALUES (…), (…)</c> statements in the caller's
/// transaction, instead of one tracked entity and one statement each. For rows written in volume, where EF's change
/// tracking and command ordering cost more than the database's work (docs/performance.md, "Seventh session" and
/// "Tenth session").
/// </summary>
/// <remarks>
/// Columns, names and values come from the EF model (<see cref="RowStatement"/>), so a row is stored exactly as
/// <c>SaveChanges</c> would store it. The store-generated key is left to the database and not read back.
/// </remarks>
internal static class MultiRowInsert
{
    /// <summary>SQLite: 500 rows of a handful of columns stay far below its 32,766 parameters (PostgreSQL takes arrays).</summary>
    private const int RowsPerStatement = 500;

    public static async Task InsertAsync<TEntity>(AppDbContext db, IReadOnlyList<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var (entityType, table, sql) = RowStatement.TableOf<TEntity>(db);
        var columns = entityType.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
            .Select(RowStatement.Column.Of).ToList();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => c.Name(table, sql)))}) ";
        if (db.IsPostgres)
        {
            await InsertByColumnsAsync(db, rows, columns, head, cancellationToken);
            return;
        }
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await using var statement = RowStatement.Start<TEntity>(db, head + "VALUES ");
            foreach (var row in chunk)
            {
                statement.Row(row, columns);
            }
            await statement.ExecuteAsync(cancellationToken);
        }
    }

    /// <summary>
    /// PostgreSQL: one array per column, <c>INSERT … SELECT … FROM unnest($1, $2, …) WITH ORDINALITY … ORDER BY</c> the
    /// row's position, so rows get their generated keys in the order given. A parameter per column rather than per value:
    /// the parameters of a batch of purchases were a third of what it allocated, and the statement's text is the
    /// same for any number of rows, so Npgsql's automatic preparation can take it (docs/performance.md, "Tenth session").
    /// </summary>
    private static async Task InsertByColumnsAsync<TEntity>(AppDbContext db, IReadOnlyList<TEntity> rows, List<RowStatement.Column> columns,
        string head, CancellationToken cancellationToken)
        where TEntity : class
    {
        var names = string.Join(", ", columns.Select((_, i) => "c" + i));
        await using var statement = RowStatement.Start<TEntity>(db, head);
        statement.Text.Append("SELECT ").Append(names).Append(" FROM unnest(");
        for (var c = 0; c < columns.Count; c++)
        {
            statement.Text.Append(c == 0 ? "" : ", ");
            statement.Values(columns[c], rows);
        }
        statement.Text.Append(") WITH ORDINALITY AS u(").Append(names).Append(", position) ORDER BY position");
        await statement.ExecuteAsync(cancellationToken);
    }
}
