using System.CommandLine;
using Cryptopocket.Server.Infrastructure;

namespace Cryptopocket.Server.Cli;

/// <summary>Options every command takes, in the same spelling: where the data lives and which database to use.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Directory for the SQLite database, saved sandbox credentials and configuration (default ./data).",
        Recursive = true,
    };

    public static readonly Option<string?> Database = new("--database")
    {
        Description = "Connection string: PostgreSQL (Host=…;Database=…) or SQLite (Data Source=…). Default: SQLite in the data dir. Also CRYPTOPOCKET_DATABASE.",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON." };

    public static ServerOptions Read(ParseResult parse)
    {
        var dataDir = parse.GetValue(DataDir) ?? Environment.GetEnvironmentVariable("CRYPTOPOCKET_DATA_DIR") ?? "data";
        var database = parse.GetValue(Database) ?? Environment.GetEnvironmentVariable("CRYPTOPOCKET_DATABASE");
        return new ServerOptions
        {
            DataDir = Path.GetFullPath(dataDir),
            Database = string.IsNullOrWhiteSpace(database) ? null : database,
        };
    }
}
