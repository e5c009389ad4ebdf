namespace Cryptopocket.Server.Infrastructure;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseConnection
{
    /// <summary>
    /// PostgreSQL connection strings name a host; SQLite ones name a data source. Anything else is refused
    /// rather than guessed, so a typo cannot silently create an empty SQLite file.
    /// </summary>
    public static DatabaseProvider DetectProvider(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return DatabaseProvider.Sqlite;
        }
        var text = connectionString.Trim();
        if (text.Contains("host=", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Postgres;
        }
        if (text.Contains("data source=", StringComparison.OrdinalIgnoreCase)
            || text.Contains("datasource=", StringComparison.OrdinalIgnoreCase)
            || text.Contains("filename=", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Sqlite;
        }
        throw new ArgumentException(
            "The database connection string must be a PostgreSQL one (Host=…) or a SQLite one (Data Source=…).");
    }
}
