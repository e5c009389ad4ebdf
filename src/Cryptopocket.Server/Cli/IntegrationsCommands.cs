using System.CommandLine;
using Cryptopocket.Server.Features.Integrations;

namespace Cryptopocket.Server.Cli;

public static class IntegrationsCommands
{
    public static Command Build()
    {
        var integrations = new Command("integrations", "Create and manage partner integrations and their credentials.");
        integrations.Subcommands.Add(Create());
        integrations.Subcommands.Add(List());
        integrations.Subcommands.Add(RotateSecret());
        integrations.Subcommands.Add(SetDisabled("disable", disabled: true, "Disables an integration and revokes its tokens."));
        integrations.Subcommands.Add(SetDisabled("enable", disabled: false, "Enables a disabled integration again."));
        integrations.Subcommands.Add(SetIps());
        integrations.Subcommands.Add(SetMethods());
        return integrations;
    }

    private static Option<string> Which() => new("--integration", "--name", "--id")
    {
        Description = "The integration's id or name.",
        Required = true,
    };

    private static Command Create()
    {
        var name = new Option<string>("--name") { Description = "A unique name for the partner.", Required = true };
        var json = GlobalOptions.Json();
        var command = new Command("create", "Creates an integration and prints its api_key and api_secret, once.") { name, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var credentials = await context.Services.CreateScope().ServiceProvider.GetRequiredService<IntegrationService>()
                .CreateAsync(parse.GetValue(name)!.Trim(), cancellationToken);
            PrintCredentials(credentials, parse.GetValue(json));
        }));
        return command;
    }

    private static Command List()
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "Lists integrations (never their secrets).") { json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var list = await context.Services.CreateScope().ServiceProvider.GetRequiredService<IntegrationService>().ListAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(list);
                return;
            }
            Console.WriteLine($"{"ID",-5} {"NAME",-24} {"API KEY",-36} {"STATE",-9} METHODS");
            foreach (var i in list)
            {
                Console.WriteLine($"{i.Id,-5} {i.Name,-24} {i.ApiKey,-36} {(i.Disabled ? "disabled" : "active"),-9} {i.AllowedPaymentMethods}");
            }
        }));
        return command;
    }

    private static Command RotateSecret()
    {
        var which = Which();
        var json = GlobalOptions.Json();
        var command = new Command("rotate-secret", "Issues a new api_secret (printed once) and revokes every token issued before.") { which, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var credentials = await context.Services.CreateScope().ServiceProvider.GetRequiredService<IntegrationService>()
                .RotateSecretAsync(parse.GetValue(which)!, cancellationToken);
            PrintCredentials(credentials, parse.GetValue(json));
        }));
        return command;
    }

    private static Command SetDisabled(string verb, bool disabled, string description)
    {
        var which = Which();
        var json = GlobalOptions.Json();
        var command = new Command(verb, description) { which, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var summary = await context.Services.CreateScope().ServiceProvider.GetRequiredService<IntegrationService>()
                .SetDisabledAsync(parse.GetValue(which)!, disabled, cancellationToken);
            PrintSummary(summary, parse.GetValue(json));
        }));
        return command;
    }

    private static Command SetIps()
    {
        var which = Which();
        var ips = new Option<string>("--ips") { Description = "Comma-separated addresses or CIDR ranges; empty string allows any.", Required = true };
        var json = GlobalOptions.Json();
        var command = new Command("set-ips", "Restricts the addresses an integration may call from.") { which, ips, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var entries = parse.GetValue(ips)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var summary = await context.Services.CreateScope().ServiceProvider.GetRequiredService<IntegrationService>()
                .SetAllowedIpsAsync(parse.GetValue(which)!, entries, cancellationToken);
            PrintSummary(summary, parse.GetValue(json));
        }));
        return command;
    }

    private static Command SetMethods()
    {
        var which = Which();
        var methods = new Option<string>("--methods") { Description = "Comma-separated payment methods: card, psd2, transfer.", Required = true };
        var json = GlobalOptions.Json();
        var command = new Command("set-methods", "Sets which payment methods an integration may use.") { which, methods, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var list = parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var summary = await context.Services.CreateScope().ServiceProvider.GetRequiredService<IntegrationService>()
                .SetPaymentMethodsAsync(parse.GetValue(which)!, list, cancellationToken);
            PrintSummary(summary, parse.GetValue(json));
        }));
        return command;
    }

    internal static void PrintCredentials(IntegrationCredentials credentials, bool json)
    {
        if (json)
        {
            OperatorContext.WriteJson(credentials);
            return;
        }
        Console.WriteLine($"Integration {credentials.Id} '{credentials.Name}'");
        Console.WriteLine($"  api_key:    {credentials.ApiKey}");
        Console.WriteLine($"  api_secret: {credentials.ApiSecret}");
        Console.WriteLine("The secret is shown only now; store it safely.");
    }

    private static void PrintSummary(IntegrationSummary summary, bool json)
    {
        if (json)
        {
            OperatorContext.WriteJson(summary);
            return;
        }
        Console.WriteLine($"Integration {summary.Id} '{summary.Name}': {(summary.Disabled ? "disabled" : "active")}, " +
            $"methods {summary.AllowedPaymentMethods}, allowed IPs {(summary.AllowedIps.Length == 0 ? "any" : summary.AllowedIps)}.");
    }
}
