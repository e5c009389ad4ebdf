using System.Text.Json;
using Cryptopocket.Server.Hosting;
using Cryptopocket.Server.Infrastructure;

namespace Cryptopocket.Server.Cli;

/// <summary>The services an operator command runs with: the same core as the server, without the web host.</summary>
public sealed class OperatorContext : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOutput = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    private readonly ServiceProvider _services;

    private OperatorContext(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    /// <summary>
    /// Opens the database. A SQLite sandbox is migrated on the spot, as <c>serve</c> would; a PostgreSQL database
    /// with pending migrations is refused, because migrating production is a deliberate step (<c>cryptopocket migrate</c>).
    /// </summary>
    public static async Task<OperatorContext> OpenAsync(ServerOptions options, CancellationToken cancellationToken, bool migrate = true)
    {
        var configuration = new ConfigurationBuilder().AddCryptopocketConfiguration(options).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IConfiguration>(configuration)
            .AddCryptopocketCore(options, configuration)
            .BuildServiceProvider();
        var context = new OperatorContext(services);
        if (migrate)
        {
            var pending = await DatabaseSetup.PendingMigrationsAsync(services, cancellationToken);
            if (pending.Count > 0)
            {
                if (options.Provider != DatabaseProvider.Sqlite)
                {
                    await context.DisposeAsync();
                    throw new Features.Integrations.OperatorException(
                        $"The database has {pending.Count} pending migration(s); run 'cryptopocket migrate' first.");
                }
                await DatabaseSetup.MigrateAsync(services, cancellationToken);
            }
        }
        return context;
    }

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOutput));

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
