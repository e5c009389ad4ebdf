using Cryptopocket.Server.Infrastructure;
using Npgsql;

namespace Cryptopocket.Server.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one fixture. The suite runs once per provider: CRYPTOPOCKET_TEST_DATABASE=postgres
/// (with CRYPTOPOCKET_TEST_PG naming the server) or sqlite (the default). Test scripts set both; see README.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _postgresName;

    private TestDatabase(string dataDir, string connectionString, string? postgresName)
    {
        DataDir = dataDir;
        ConnectionString = connectionString;
        _postgresName = postgresName;
    }

    public string DataDir { get; }
    public string ConnectionString { get; }

    public static DatabaseProvider Provider =>
        Environment.GetEnvironmentVariable("CRYPTOPOCKET_TEST_DATABASE") == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("CRYPTOPOCKET_TEST_PG") ?? "Host=127.0.0.1;Port=54329;Username=postgres";

    public static async Task<TestDatabase> CreateAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "cryptopocket-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        if (Provider == DatabaseProvider.Sqlite)
        {
            return new TestDatabase(dataDir, $"Data Source={Path.Combine(dataDir, "test.db")}", null);
        }
        var name = "cp_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(PostgresServer + ";Database=postgres"))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new TestDatabase(dataDir, $"{PostgresServer};Database={name};Maximum Pool Size=20", name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer + ";Database=postgres");
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still mapped by a pooled connection: the temp dir is cleaned by the OS eventually.
        }
    }
}
