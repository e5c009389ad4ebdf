namespace Cryptopocket.Server.Data;

/// <summary>
/// Sets a few columns of many rows, each to its own values, by primary key, in one statement in the caller's
/// transaction: <c>WITH v(k, c1, …) AS (VALUES (…), (…)) UPDATE t SET col1 = v.c1, … FROM v WHERE t.key = v.k</c>
/// (PostgreSQL, and SQLite from 3.33). For rows a batch changes in volume without tracking them (docs/performance.md,
/// "Tenth session").
/// </summary>
internal static class MultiRowUpdate
{
    /// <summary>Rows per statement: a few columns each stay far below either database's parameter limit.</summary>
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
        var head = $"WITH v(k, {values}) AS (VALUES ";
        var tail = $") UPDATE {name} SET {string.Join(", ", columns.Select((c, i) => $"{c.Name(table, sql)} = v.c{i}"))} " +
                   $"FROM v WHERE {name}.{key.Name(table, sql)} = v.k";
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
