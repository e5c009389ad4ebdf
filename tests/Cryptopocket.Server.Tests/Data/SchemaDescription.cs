using System.Data.Common;
using Cryptopocket.Server.Infrastructure;

namespace Cryptopocket.Server.Tests.Data;

/// <summary>
/// A provider's own account of a database's schema (tables, columns with type and nullability, keys, indexes,
/// foreign keys), as sorted lines, so two databases can be compared independently of how they were made.
/// </summary>
public static class SchemaDescription
{
    public static async Task<IReadOnlyList<string>> ReadAsync(DbConnection connection, DatabaseProvider provider)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }
        var lines = provider == DatabaseProvider.Sqlite ? await SqliteAsync(connection) : await PostgresAsync(connection);
        return lines.Where(l => !l.Contains("__EFMigrations", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<List<string>> SqliteAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var tables = await ColumnAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        foreach (var table in tables)
        {
            foreach (var row in await RowsAsync(connection, $"PRAGMA table_info(\"{table}\")"))
            {
                lines.Add($"column {table}.{row["name"]} {row["type"]} notnull={row["notnull"]} pk={row["pk"]}");
            }
            foreach (var row in await RowsAsync(connection, $"PRAGMA index_list(\"{table}\")"))
            {
                var columns = await ColumnAsync(connection, $"SELECT name FROM pragma_index_info('{row["name"]}') ORDER BY seqno");
                lines.Add($"index {table}.{row["name"]} unique={row["unique"]} origin={row["origin"]} ({string.Join(",", columns)})");
            }
            foreach (var row in await RowsAsync(connection, $"PRAGMA foreign_key_list(\"{table}\")"))
            {
                lines.Add($"fk {table}.{row["from"]} -> {row["table"]}.{row["to"]} on_delete={row["on_delete"]}");
            }
            var sql = await ColumnAsync(connection, $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'");
            lines.Add($"autoincrement {table}={sql.Single().Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase)}");
        }
        return lines;
    }

    private static async Task<List<string>> PostgresAsync(DbConnection connection)
    {
        var lines = new List<string>();
        foreach (var row in await RowsAsync(connection, """
            SELECT table_name, column_name, data_type, is_nullable, character_maximum_length, numeric_precision, numeric_scale,
                   is_identity, identity_generation, column_default
            FROM information_schema.columns WHERE table_schema = 'public'
            """))
        {
            lines.Add($"column {row["table_name"]}.{row["column_name"]} {row["data_type"]}({row["character_maximum_length"]},{row["numeric_precision"]},{row["numeric_scale"]}) " +
                $"nullable={row["is_nullable"]} identity={row["is_identity"]}/{row["identity_generation"]} default={row["column_default"]}");
        }
        foreach (var row in await RowsAsync(connection, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"))
        {
            lines.Add($"index {row["tablename"]}.{row["indexname"]} {row["indexdef"]}");
        }
        foreach (var row in await RowsAsync(connection, """
            SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            """))
        {
            lines.Add($"constraint {row["table_name"]}.{row["conname"]} {row["definition"]}");
        }
        return lines;
    }

    private static async Task<List<string>> ColumnAsync(DbConnection connection, string sql) =>
        (await RowsAsync(connection, sql)).Select(r => r.Values.First()?.ToString() ?? "").ToList();

    private static async Task<List<Dictionary<string, object?>>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }
}
