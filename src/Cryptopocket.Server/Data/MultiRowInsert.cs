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
        // Only makes the parameters; EF runs the statement on its own command, in the current transaction.
        await using var parameterFactory = db.Database.GetDbConnection().CreateCommand();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var text = new StringBuilder(head, head.Length + chunk.Length * columns.Count * 8);
            var parameters = new List<DbParameter>(chunk.Length * columns.Count);
            foreach (var row in chunk)
            {
                text.Append(parameters.Count == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var (property, getter, mapping) = columns[c];
                    var name = "p" + parameters.Count;
                    text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder(name));
                    parameters.Add(mapping.CreateParameter(parameterFactory, name, getter.GetClrValueUsingContainingEntity(row), property.IsNullable));
                }
                text.Append(')');
            }
            await db.Database.ExecuteSqlRawAsync(text.ToString(), parameters, cancellationToken);
        }
    }
}
