using System.CommandLine;
using Cryptopocket.Server.Hosting;

namespace Cryptopocket.Server.Cli;

public static class MigrateCommand
{
    public static Command Build()
    {
        var command = new Command("migrate", "Applies pending database migrations and exits.");
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            var options = GlobalOptions.Read(parse);
            await using var context = await OperatorContext.OpenAsync(options, cancellationToken, migrate: false);
            var pending = await DatabaseSetup.PendingMigrationsAsync(context.Services, cancellationToken);
            await DatabaseSetup.MigrateAsync(context.Services, cancellationToken);
            Console.WriteLine(pending.Count == 0 ? "Database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
        }));
        return command;
    }
}
