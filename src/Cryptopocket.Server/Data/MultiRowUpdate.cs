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
        var (keyAndColumns, values, set, where) = Update<TEntity>(db, propertyNames);
        if (db.IsPostgres)
        {
            await using var statement = RowStatement.Start<TEntity>(db, "");
            await ByColumns(statement, rows, keyAndColumns, values, set, where).ExecuteAsync(cancellationToken);
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

    /// <summary>
    /// PostgreSQL: appends the update of <paramref name="rows"/> to <paramref name="statement"/>, as one part of a larger
    /// statement (a data-modifying <c>WITH</c> that writes several tables at once). The same text for any number of
    /// rows, none included.
    /// </summary>
    public static RowStatement AppendTo<TEntity>(RowStatement statement, AppDbContext db, IReadOnlyList<TEntity> rows, IReadOnlyList<string> propertyNames)
        where TEntity : class
    {
        var (keyAndColumns, values, set, where) = Update<TEntity>(db, propertyNames);
        return ByColumns(statement, rows, keyAndColumns, values, set, where);
    }

    private static RowStatement ByColumns<TEntity>(RowStatement statement, IReadOnlyList<TEntity> rows, List<RowStatement.Column> keyAndColumns,
        string values, string set, string where)
        where TEntity : class
    {
        statement.Text.Append(set).Append("FROM unnest(");
        statement.ValuesOf(keyAndColumns, rows).Text.Append(") AS v(k, ").Append(values).Append(')').Append(where);
        return statement;
    }

    /// <summary>
    /// The statement's pieces: the key and the columns (each row of v holds the key, then the columns), v's column
    /// names, <c>UPDATE t SET … </c> and <c> WHERE t.key = v.k</c>.
    /// </summary>
    private static (List<RowStatement.Column> KeyAndColumns, string Values, string Set, string Where) Update<TEntity>(AppDbContext db, IReadOnlyList<string> propertyNames)
        where TEntity : class
    {
        var (entityType, table, sql) = RowStatement.TableOf<TEntity>(db);
        var key = RowStatement.Column.Of(entityType.FindPrimaryKey()!.Properties.Single());
        var columns = propertyNames.Select(n => RowStatement.Column.Of(entityType.FindProperty(n)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no property {n}."))).ToList();
        var name = sql.DelimitIdentifier(table.Name, table.Schema);
        return ([key, .. columns], string.Join(", ", columns.Select((_, i) => "c" + i)),
            $"UPDATE {name} SET {string.Join(", ", columns.Select((c, i) => $"{c.Name(table, sql)} = v.c{i}"))} ",
            $" WHERE {name}.{key.Name(table, sql)} = v.k");
    }
}
