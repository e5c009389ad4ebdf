using Cryptopocket.Server.Data;
using Cryptopocket.Server.Hosting;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Data;

/// <summary>
/// The migrations are written by hand, so nothing but this test keeps them equal to the EF model: a database built
/// by the migrations must have exactly the schema EF would create from the model itself, on the provider under test.
/// </summary>
public sealed class MigrationSchemaTests
{
    [Fact]
    public async Task MigratingGivesExactlyTheSchemaTheModelDescribes()
    {
        await using var migrated = await TestDatabase.CreateAsync();
        await using var created = await TestDatabase.CreateAsync();

        await using (var db = Open(migrated))
        {
            await db.Database.MigrateAsync();
        }
        await using (var db = Open(created))
        {
            await db.Database.EnsureCreatedAsync();
        }

        var fromMigrations = await DescribeAsync(migrated);
        var fromModel = await DescribeAsync(created);

        Assert.NotEmpty(fromModel);
        Assert.Contains(fromModel, line => line.Contains("customers", StringComparison.Ordinal));
        Assert.Equal(fromModel, fromMigrations);
    }

    [Fact]
    public async Task MigratingTwiceChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = Open(database);
        await db.Database.MigrateAsync();
        var before = await DescribeAsync(database);

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(before, await DescribeAsync(database));
    }

    private static AppDbContext Open(TestDatabase database)
    {
        var options = new ServerOptions { DataDir = database.DataDir, Database = database.ConnectionString };
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        CoreServices.ConfigureDatabase(builder, options);
        return new AppDbContext(builder.Options);
    }

    private static async Task<IReadOnlyList<string>> DescribeAsync(TestDatabase database)
    {
        await using var db = Open(database);
        return await SchemaDescription.ReadAsync(db.Database.GetDbConnection(), TestDatabase.Provider);
    }
}
