using Cryptopocket.Server.Data;
using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Hosting;

public static class DatabaseSetup
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        if (scope.ServiceProvider.GetRequiredService<ServerOptions>().Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers proceed while a writer commits; the setting persists in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
    }
}
