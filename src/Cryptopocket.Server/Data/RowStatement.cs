using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Cryptopocket.Server.Data;

/// <summary>
/// One statement over many rows (<see cref="MultiRowInsert"/>, <see cref="MultiRowUpdate"/>), written with the EF
/// model's names and type mappings and run on a command of its own in the context's current transaction.
/// </summary>
/// <remarks>
/// PostgreSQL takes numbered placeholders ($1, $2, …) with unnamed parameters, which Npgsql sends as they are; named
/// ones it parses out of the text and renumbers. Through EF's ExecuteSqlRaw, every parameter was also cloned into a
/// second command: for a batch of purchases that was half of what the batch allocated (docs/performance.md, "Tenth
/// session"). A command of its own also means EF's command log does not show the statement.
/// </remarks>
internal sealed class RowStatement : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly bool _numbered;
    private int _rows;

    /// <summary>The context whose connection this statement opened and gives back when disposed (<see cref="AloneAsync"/>).</summary>
    private AppDbContext? _opened;

    private RowStatement(AppDbContext db, string head)
    {
        _command = db.Database.GetDbConnection().CreateCommand();
        _command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (db.Database.GetCommandTimeout() is { } seconds)
        {
            _command.CommandTimeout = seconds;
        }
        _numbered = db.IsPostgres;
        Text = new StringBuilder(head, head.Length * 4);
    }

    public StringBuilder Text { get; }

    /// <summary>A statement in <paramref name="db"/>'s current transaction, which it refuses to run without.</summary>
    public static RowStatement Start<TEntity>(AppDbContext db, string head)
    {
        // Alone, each statement would commit by itself: half of a posting could be stored without the rest.
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name} rows are written inside the transaction of the change they belong to.");
        }
        return new RowStatement(db, head);
    }

    /// <summary>
    /// One statement that is atomic by itself: a data-modifying <c>WITH</c> whose parts (<see cref="MultiRowInsert.AppendTo"/>,
    /// <see cref="MultiRowUpdate.AppendTo"/>) write together or not at all. In the context's transaction if it has one,
    /// else committed alone, without a transaction's BEGIN and COMMIT round trips. It opens the context's connection
    /// (outside a transaction EF has not) and gives it back when disposed.
    /// </summary>
    public static async Task<RowStatement> AloneAsync(AppDbContext db, string head, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        return new RowStatement(db, head) { _opened = db };
    }

    /// <summary>Appends a placeholder for the value, passed through the column's type mapping (value converters included).</summary>
    public RowStatement Value(Column column, object entity)
    {
        var index = _command.Parameters.Count;
        var name = _numbered ? "" : "p" + index;
        _ = _numbered ? Text.Append('$').Append(index + 1) : Text.Append('@').Append(name);
        _command.Parameters.Add(column.Mapping.CreateParameter(_command, name, column.Getter.GetClrValueUsingContainingEntity(entity), column.Property.IsNullable));
        return this;
    }

    /// <summary>Appends a placeholder for a parameter made by the caller (PostgreSQL: an array for <c>= ANY(…)</c>, say).</summary>
    public RowStatement Parameter(DbParameter parameter)
    {
        var index = _command.Parameters.Count;
        parameter.ParameterName = _numbered ? "" : "p" + index;
        _ = _numbered ? Text.Append('$').Append(index + 1) : Text.Append('@').Append(parameter.ParameterName);
        _command.Parameters.Add(parameter);
        return this;
    }

    /// <summary>Appends a placeholder for one value of the column, through its type mapping (stored exactly as EF stores it).</summary>
    public RowStatement Scalar(Column column, object? value) =>
        Parameter(column.Mapping.CreateParameter(_command, "", value, column.Property.IsNullable));

    /// <summary>Appends one row's values of these columns, <c>(…)</c>, after a comma unless it is the statement's first row.</summary>
    public RowStatement Row(object entity, IReadOnlyList<Column> columns)
    {
        Text.Append(_rows++ == 0 ? "(" : ", (");
        for (var c = 0; c < columns.Count; c++)
        {
            Text.Append(c == 0 ? "" : ", ");
            Value(columns[c], entity);
        }
        Text.Append(')');
        return this;
    }

    /// <summary>
    /// PostgreSQL only: appends a placeholder for one array parameter holding the column's value in every row, in
    /// order, typed as the column's own mapping types one value (for <c>unnest</c>).
    /// </summary>
    public RowStatement Values<TEntity>(Column column, IReadOnlyList<TEntity> rows)
        where TEntity : class
    {
        var converter = column.Mapping.Converter;
        var type = converter?.ProviderClrType ?? column.Property.ClrType;
        // A converter's provider type is not nullable (DateTime for DateTime?): an array of it would store a null as
        // its default value.
        if (column.Property.IsNullable && type.IsValueType && Nullable.GetUnderlyingType(type) is null)
        {
            type = typeof(Nullable<>).MakeGenericType(type);
        }
        var values = Array.CreateInstance(type, rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var value = column.Getter.GetClrValueUsingContainingEntity(rows[r]);
            values.SetValue(converter is null || value is null ? value : converter.ConvertToProvider(value), r);
        }
        var scalar = (NpgsqlParameter)column.Mapping.CreateParameter(_command, "", null, nullable: true);
        var index = _command.Parameters.Count;
        Text.Append('$').Append(index + 1);
        _command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | scalar.NpgsqlDbType, Value = values });
        return this;
    }

    /// <summary>PostgreSQL only: <see cref="Values{TEntity}"/> for each of <paramref name="columns"/>, comma-separated (for <c>unnest(…)</c>).</summary>
    public RowStatement ValuesOf<TEntity>(IReadOnlyList<Column> columns, IReadOnlyList<TEntity> rows)
        where TEntity : class
    {
        for (var c = 0; c < columns.Count; c++)
        {
            Text.Append(c == 0 ? "" : ", ");
            Values(columns[c], rows);
        }
        return this;
    }

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        _command.CommandText = Text.ToString();
        await _command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs the statement and answers the first column of every row it returns, converted as the column's model says.</summary>
    public async Task<List<object>> ReadFirstColumnAsync(Column column, CancellationToken cancellationToken)
    {
        _command.CommandText = Text.ToString();
        var values = new List<object>();
        await using var reader = await _command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var value = reader.GetValue(0);
            values.Add(column.Mapping.Converter is { } converter ? converter.ConvertFromProvider(value)! : value);
        }
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await _command.DisposeAsync();
        if (_opened is not null)
        {
            await _opened.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The entity type, its table, and the provider's SQL helper (to delimit names).</summary>
    public static (IEntityType EntityType, StoreObjectIdentifier Table, ISqlGenerationHelper Sql) TableOf<TEntity>(AppDbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        return (entityType, StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema()), db.GetService<ISqlGenerationHelper>());
    }

    /// <summary>A column: its property, getter and type mapping, looked up once per statement rather than once per row.</summary>
    public sealed record Column(IProperty Property, IClrPropertyGetter Getter, RelationalTypeMapping Mapping)
    {
        public static Column Of(IProperty property) => new(property, property.GetGetter(), property.GetRelationalTypeMapping());

        public string Name(StoreObjectIdentifier table, ISqlGenerationHelper sql) => sql.DelimitIdentifier(Property.GetColumnName(table)!);
    }
}
