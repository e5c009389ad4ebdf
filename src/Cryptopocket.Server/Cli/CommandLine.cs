using System.CommandLine;
using Cryptopocket.Server.Features.Integrations;

namespace Cryptopocket.Server.Cli;

/// <summary>
/// The <c>cryptopocket</c> executable's commands. Operators' scripts rely on these names, options and JSON shapes:
/// extend them, never change them (README, "Command line").
/// </summary>
public static class CommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Cryptopocket: self-hosted fiat ⇄ crypto on/off-ramp.");
        root.Options.Add(GlobalOptions.DataDir);
        root.Options.Add(GlobalOptions.Database);
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(MigrateCommand.Build());
        root.Subcommands.Add(IntegrationsCommands.Build());
        root.Subcommands.Add(CustomersCommands.Build());
        root.Subcommands.Add(PaymentsCommands.Build());
        root.Subcommands.Add(BankCommands.Build());
        root.Subcommands.Add(ChainCommands.Build());
        root.Subcommands.Add(WebhooksCommands.Build());
        root.Subcommands.Add(PayoutsCommands.Build());
        return root;
    }

    /// <summary>Runs an operator action, turning refusals into a message on stderr and exit code 1.</summary>
    public static async Task<int> RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (OperatorException exception)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return 1;
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return 1;
        }
    }
}
