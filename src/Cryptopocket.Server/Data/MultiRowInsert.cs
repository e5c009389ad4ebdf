using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cryptopocket.Server.Data;

/// <summary>
/// Inserts many new rows of one entity type with multi-row <c>INSERT … VALUES (…), (…)</c> statements in the caller's
/// transaction, instead of one tracked entity and one statement each. For append-only rows written in volume, where
/// EF's change tracking and command ordering cost more than the database's work (docs/performance.md, "Seventh
/// session").
/// </summary>
/// <remarks>
/// Columns, names and values come from the EF model: each value goes through its property's type mapping (value
/// converters included), so a row is stored exactly as <c>SaveChanges</c> would store it. The store-generated key is
/// left to the database and not read back.
/// </remarks>
internal static class MultiRowInsert
{
    /// <summary>500 rows of a handful of columns stay far below SQLite's 32,766 and PostgreSQL's 65,535 parameters.</summary>
    private const int RowsPerStatement = 500;

    public static async Task InsertAsync<TEntity>(AppDbContext db, IReadOnlyList<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        // Alone, each statement would commit by itself: half of a posting could be stored without the rest.
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name} rows are inserted inside the transaction of the change they belong to.");
        }
        var entityType = db.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        // Each column's getter and type mapping looked up once, not once per row.
        var columns = entityType.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
            .Select(p => (Property: p, Getter: p.GetGetter(), Mapping: p.GetRelationalTypeMapping())).ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} " +
                   $"({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))}) VALUES ";
        // PostgreSQL takes numbered placeholders ($1, $2, …) with unnamed parameters, which Npgsql sends as they are; named
        // ones it parses out of the text and renumbers. Through EF's ExecuteSqlRaw, every parameter was also cloned
        // into a second command: for a batch of purchases that was half of what the batch allocated
        // (docs/performance.md, "Tenth session"). So the statement runs on a command of its own, in EF's transaction
        // (which also means EF's command log does not show it).
        var numbered = db.Database.IsNpgsql();
        var timeout = db.Database.GetCommandTimeout();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction.GetDbTransaction();
            if (timeout is { } seconds)
            {
                command.CommandTimeout = seconds;
            }
            var text = new StringBuilder(head, head.Length + chunk.Length * columns.Count * 8);
            var parameters = 0;
            foreach (var row in chunk)
            {
                text.Append(parameters == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var (property, getter, mapping) = columns[c];
                    var name = numbered ? "" : "p" + parameters;
                    text.Append(c == 0 ? "" : ", ");
                    _ = numbered ? text.Append('$').Append(parameters + 1) : text.Append(sql.GenerateParameterNamePlaceholder(name));
                    command.Parameters.Add(mapping.CreateParameter(command, name, getter.GetClrValueUsingContainingEntity(row), property.IsNullable));
                    parameters++;
                }
                text.Append(')');
            }
            command.CommandText = text.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
