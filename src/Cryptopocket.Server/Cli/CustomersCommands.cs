using System.CommandLine;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Integrations;

namespace Cryptopocket.Server.Cli;

public static class CustomersCommands
{
    public static Command Build()
    {
        var customers = new Command("customers", "Operator actions on customers.");
        customers.Subcommands.Add(Kyc());
        customers.Subcommands.Add(Flag("ban", "Bans a customer: new purchases answer user_banned.", (c, _) => c.Banned = true));
        customers.Subcommands.Add(Flag("unban", "Lifts a ban.", (c, _) => c.Banned = false));
        customers.Subcommands.Add(Flag("reinforced-kyc", "Records that the customer completed enhanced verification (purchases above the threshold allowed).", (c, _) => c.ReinforcedKyc = true));
        return customers;
    }

    private static Command Flag(string verb, string description, Action<Customer, bool> apply)
    {
        var userId = new Option<long>("--user-id") { Description = "The customer's id (user_id).", Required = true };
        var json = GlobalOptions.Json();
        var command = new Command(verb, description) { userId, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var customer = await context.Services.CreateScope().ServiceProvider.GetRequiredService<CustomerKycService>()
                .UpdateAsync(parse.GetValue(userId), c => apply(c, true), cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(new { user_id = customer.Id, banned = customer.Banned, reinforced_kyc = customer.ReinforcedKyc });
                return;
            }
            Console.WriteLine($"Customer {customer.Id}: banned={customer.Banned}, reinforced_kyc={customer.ReinforcedKyc}.");
        }));
        return command;
    }

    private static Command Kyc()
    {
        var userId = new Option<long>("--user-id") { Description = "The customer's id (user_id).", Required = true };
        var approve = new Option<bool>("--approve") { Description = "Mark KYC valid." };
        var reject = new Option<bool>("--reject") { Description = "Mark KYC failed." };
        var reason = new Option<string?>("--reason") { Description = "Why (kept with the decision; shown to the partner on rejection)." };
        var json = GlobalOptions.Json();
        var command = new Command("kyc", "Records an operator's KYC decision for a customer.") { userId, approve, reject, reason, json };
        command.Validators.Add(result =>
        {
            if (result.GetValue(approve) == result.GetValue(reject))
            {
                result.AddError("Give exactly one of --approve or --reject.");
            }
        });
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var customer = await context.Services.CreateScope().ServiceProvider.GetRequiredService<CustomerKycService>()
                .DecideAsync(parse.GetValue(userId), parse.GetValue(approve), parse.GetValue(reason), cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(new { user_id = customer.Id, kyc_status = customer.KycStatus, reason = customer.KycReason });
                return;
            }
            Console.WriteLine($"Customer {customer.Id}: KYC {customer.KycStatus}.");
        }));
        return command;
    }
}
