using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Cryptopocket.Server.Data.Migrations;

internal static class MigrationColumnExtensions
{
    /// <summary>An auto-generated key on both providers; each ignores the other's annotation.</summary>
    public static OperationBuilder<T> Identity<T>(this OperationBuilder<T> column)
        where T : Microsoft.EntityFrameworkCore.Migrations.Operations.AddColumnOperation =>
        column
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
