using System.CommandLine;
using Cryptopocket.Server.Hosting;
using Cryptopocket.Server.Infrastructure;

namespace Cryptopocket.Server.Cli;

public static class ServeCommand
{
    public static Command Build()
    {
        var urls = new Option<string>("--urls") { Description = $"Addresses to listen on, ';'-separated (default {ServerOptions.DefaultUrls})." };
        var mode = new Option<string>("--mode") { Description = "sandbox (default) or production.", DefaultValueFactory = _ => "sandbox" };
        mode.AcceptOnlyFromAmong("sandbox", "production");
        var publicUrl = new Option<string?>("--public-url") { Description = "Base URL customers reach the hosted pages on (default: the request's own host)." };
        var noChain = new Option<bool>("--no-chain") { Description = "Sandbox without its local chain: purchases stop at payment_received." };
        var command = new Command("serve", "Runs the server. In sandbox mode it migrates on start and creates a 'sandbox' integration on first start.")
        {
            urls, mode, publicUrl, noChain,
        };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            var options = GlobalOptions.Read(parse) with
            {
                Urls = parse.GetValue(urls) ?? Environment.GetEnvironmentVariable("CRYPTOPOCKET_URLS") ?? ServerOptions.DefaultUrls,
                Sandbox = parse.GetValue(mode) != "production",
                PublicUrl = parse.GetValue(publicUrl),
                RunSandboxChain = !parse.GetValue(noChain),
            };
            await RunAsync(options, cancellationToken);
        }));
        return command;
    }

    private static async Task RunAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        await using var app = ServerApp.Build(options);
        if (options.Sandbox)
        {
            await DatabaseSetup.MigrateAsync(app.Services, cancellationToken);
            await SandboxBootstrap.EnsureSandboxIntegrationAsync(app.Services, options, cancellationToken);
        }
        else
        {
            var pending = await DatabaseSetup.PendingMigrationsAsync(app.Services, cancellationToken);
            if (pending.Count > 0)
            {
                throw new Features.Integrations.OperatorException(
                    $"The database has {pending.Count} pending migration(s); run 'cryptopocket migrate' before serving in production mode.");
            }
        }
        await app.StartAsync(cancellationToken);
        Console.WriteLine($"Cryptopocket {(options.Sandbox ? "sandbox" : "production")} listening on {options.Urls} " +
            $"({options.Provider}{(options.Provider == DatabaseProvider.Sqlite ? $", {options.DataDir}" : "")}). API docs: /docs");
        await app.WaitForShutdownAsync(cancellationToken);
    }
}
