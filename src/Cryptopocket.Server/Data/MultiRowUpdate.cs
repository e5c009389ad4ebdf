namespace Cryptopocket.Server.Data;

/// <summary>
/// Sets a few columns of many rows, each to its own values, by primary key, in one statement in the caller's
/// transaction: <c>UPDATE t SET col1 = v.c0, … FROM unnest($1, $2, …) AS v(k, c0, …) WHERE t.key = v.k</c> on
/// PostgreSQL, an array per column; <c>WITH v(k, c0, …) AS (VALUES (…), (…)) UPDATE …</c> on SQLite (from 3.33). For
/// rows a batch changes in volume without tracking them (docs/performance.md, "Tenth session").
/// </summary>
/// <remarks>
/// PostgreSQL gets arrays, as <see cref="MultiRowInsert"/> does, so the statement's text is the same for any number of
/// rows: Npgsql's automatic preparation takes it, where a VALUES list made a new text (parsed and planned anew) for every
/// row count (docs/performance.md, "Fourteenth session").
/// </remarks>
internal static class MultiRowUpdate
{
    /// <summary>SQLite: rows per statement, a few columns each, far below its parameter limit (PostgreSQL takes arrays).</summary>
    private const int RowsPerStatement = 1000;

    /// <summary>Writes <paramref name="propertyNames"/> of each row as the row holds them now; other columns are left alone.</summary>
    public static async Task UpdateAsync<TEntity>(AppDbContext db, IReadOnlyList<TEntity> rows, IReadOnlyList<string> propertyNames,
        CancellationToken cancellationToken)
        where TEntity : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var (entityType, table, sql) = RowStatement.TableOf<TEntity>(db);
        var key = RowStatement.Column.Of(entityType.FindPrimaryKey()!.Properties.Single());
        var columns = propertyNames.Select(n => RowStatement.Column.Of(entityType.FindProperty(n)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no property {n}."))).ToList();
        // Each row of v: the key, then the columns.
        List<RowStatement.Column> keyAndColumns = [key, .. columns];
        var name = sql.DelimitIdentifier(table.Name, table.Schema);
        var values = string.Join(", ", columns.Select((_, i) => "c" + i));
        var set = $"UPDATE {name} SET {string.Join(", ", columns.Select((c, i) => $"{c.Name(table, sql)} = v.c{i}"))} ";
        var where = $" WHERE {name}.{key.Name(table, sql)} = v.k";
        if (db.IsPostgres)
        {
            await using var statement = RowStatement.Start<TEntity>(db, set + "FROM unnest(");
            statement.ValuesOf(keyAndColumns, rows).Text.Append(") AS v(k, ").Append(values).Append(')').Append(where);
            await statement.ExecuteAsync(cancellationToken);
            return;
        }
        var head = $"WITH v(k, {values}) AS (VALUES ";
        var tail = ") " + set + "FROM v" + where;
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await using var statement = RowStatement.Start<TEntity>(db, head);
            foreach (var row in chunk)
            {
                statement.Row(row, keyAndColumns);
            }
            statement.Text.Append(tail);
            await statement.ExecuteAsync(cancellationToken);
        }
    }
}
