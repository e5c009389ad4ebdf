namespace Cryptopocket.Server.Infrastructure;

/// <summary>What the command line (or the test host) decided about where and how the server runs.</summary>
public sealed record ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public string DataDir { get; init; } = Path.GetFullPath("data");

    /// <summary>A SQLite or PostgreSQL connection string; null means SQLite under <see cref="DataDir"/>.</summary>
    public string? Database { get; init; }

    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Sandbox mode runs the sandbox providers and migrates on start; production mode does neither.</summary>
    public bool Sandbox { get; init; } = true;

    /// <summary>Whether a sandbox <c>serve</c> brings up its local chain (off for hosts built by tests and tools).</summary>
    public bool RunSandboxChain { get; init; }

    /// <summary>The base URL customers reach the hosted pages on; null means "the URL of the incoming request".</summary>
    public string? PublicUrl { get; init; }

    public DatabaseProvider Provider => DatabaseConnection.DetectProvider(Database);

    public string ConnectionString => Database ?? $"Data Source={Path.Combine(DataDir, "cryptopocket.db")}";
}
