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

    public static Task InsertAsync<TEntity>(AppDbContext db, IReadOnlyList<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class =>
        InsertAsync(db, rows, unless: null, cancellationToken);

    /// <summary>
    /// Inserts the rows except those whose <paramref name="uniqueProperty"/> value is taken, by a stored row or by an
    /// earlier row of this call (<c>ON CONFLICT (…) DO NOTHING</c>), and answers the rows left out. Any other
    /// constraint still fails the statement. The caller sets the rows' primary key: it tells the stored rows apart.
    /// </summary>
    public static async Task<IReadOnlyList<TEntity>> InsertUnlessTakenAsync<TEntity>(AppDbContext db, IReadOnlyList<TEntity> rows, string uniqueProperty,
        CancellationToken cancellationToken)
        where TEntity : class
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var (entityType, table, sql) = RowStatement.TableOf<TEntity>(db);
        var unique = entityType.FindProperty(uniqueProperty) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no property {uniqueProperty}.");
        var key = RowStatement.Column.Of(entityType.FindPrimaryKey()!.Properties.Single());
        var tail = $" ON CONFLICT ({RowStatement.Column.Of(unique).Name(table, sql)}) DO NOTHING RETURNING {key.Name(table, sql)}";
        var stored = (await InsertAsync(db, rows, (tail, key), cancellationToken)).ToHashSet();
        return rows.Where(row => !stored.Contains(key.Getter.GetClrValueUsingContainingEntity(row)!)).ToList();
    }

    /// <summary>The insert, with <paramref name="unless"/>'s clause after each statement and its key column read back.</summary>
    private static async Task<List<object>> InsertAsync<TEntity>(AppDbContext db, IReadOnlyList<TEntity> rows, (string Tail, RowStatement.Column Key)? unless,
        CancellationToken cancellationToken)
        where TEntity : class
    {
        List<object> returned = [];
        if (rows.Count == 0)
        {
            return returned;
        }
        var (columns, head) = Insert<TEntity>(db);
        if (db.IsPostgres)
        {
            await using var statement = RowStatement.Start<TEntity>(db, "");
            await RunAsync(ByColumns(statement, rows, columns, head), unless, returned, cancellationToken);
            return returned;
        }
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await using var statement = RowStatement.Start<TEntity>(db, head + "VALUES ");
            foreach (var row in chunk)
            {
                statement.Row(row, columns);
            }
            await RunAsync(statement, unless, returned, cancellationToken);
        }
        return returned;
    }

    private static async Task RunAsync(RowStatement statement, (string Tail, RowStatement.Column Key)? unless, List<object> returned,
        CancellationToken cancellationToken)
    {
        if (unless is not { } clause)
        {
            await statement.ExecuteAsync(cancellationToken);
            return;
        }
        statement.Text.Append(clause.Tail);
        returned.AddRange(await statement.ReadFirstColumnAsync(clause.Key, cancellationToken));
    }

    /// <summary>
    /// PostgreSQL: one array per column, <c>INSERT … SELECT … FROM unnest($1, $2, …) WITH ORDINALITY … ORDER BY</c> the
    /// row's position, so rows get their generated keys in the order given. A parameter per column rather than per value:
    /// the parameters of a batch of purchases were a third of what it allocated, and the statement's text is the
    /// same for any number of rows, so Npgsql's automatic preparation can take it (docs/performance.md, "Tenth session").
    /// </summary>
    private static RowStatement ByColumns<TEntity>(RowStatement statement, IReadOnlyList<TEntity> rows, List<RowStatement.Column> columns, string head,
        string where = "")
        where TEntity : class
    {
        var names = string.Join(", ", columns.Select((_, i) => "c" + i));
        statement.Text.Append(head).Append("SELECT ").Append(names).Append(" FROM unnest(");
        statement.ValuesOf(columns, rows);
        statement.Text.Append(") WITH ORDINALITY AS u(").Append(names).Append(", position)").Append(where).Append(" ORDER BY position");
        return statement;
    }

    /// <summary>
    /// PostgreSQL: appends the insert of <paramref name="rows"/> to <paramref name="statement"/>, as one part of a larger
    /// statement (a data-modifying <c>WITH</c> that writes several tables at once). The same text for any number of
    /// rows, none included.
    /// </summary>
    public static RowStatement AppendTo<TEntity>(RowStatement statement, AppDbContext db, IReadOnlyList<TEntity> rows)
        where TEntity : class
    {
        var (columns, head) = Insert<TEntity>(db);
        return ByColumns(statement, rows, columns, head);
    }

    /// <summary>
    /// <see cref="AppendTo{TEntity}(RowStatement, AppDbContext, IReadOnlyList{TEntity})"/>, inserting only the rows whose
    /// <paramref name="property"/> is among the values <paramref name="subquery"/> answers (an earlier part's RETURNING).
    /// </summary>
    public static RowStatement AppendTo<TEntity>(RowStatement statement, AppDbContext db, IReadOnlyList<TEntity> rows, string property, string subquery)
        where TEntity : class
    {
        var (columns, head) = Insert<TEntity>(db);
        var index = columns.FindIndex(c => c.Property.Name == property);
        if (index < 0)
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name} has no inserted property {property}.");
        }
        return ByColumns(statement, rows, columns, head, $" WHERE c{index} IN ({subquery})");
    }

    /// <summary>The columns an insert writes (all but a store-generated key) and its <c>INSERT INTO t (…) </c> head.</summary>
    private static (List<RowStatement.Column> Columns, string Head) Insert<TEntity>(AppDbContext db)
        where TEntity : class
    {
        var (entityType, table, sql) = RowStatement.TableOf<TEntity>(db);
        var columns = entityType.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
            .Select(RowStatement.Column.Of).ToList();
        return (columns, $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => c.Name(table, sql)))}) ");
    }
}
