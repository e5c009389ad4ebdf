using System.CommandLine;
using Cryptopocket.Server.Features.Banking;

namespace Cryptopocket.Server.Cli;

public static class PaymentsCommands
{
    public static Command Build()
    {
        var payments = new Command("payments", "Operator actions on purchases.");
        var paymentId = new Option<string>("--payment-id") { Description = "The purchase's payment_id.", Required = true };
        var json = GlobalOptions.Json();
        var receive = new Command("receive", "Records that a bank transfer for a transfer purchase arrived (as seen on the bank account).") { paymentId, json };
        receive.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var payment = await context.Services.CreateScope().ServiceProvider.GetRequiredService<BankReconciliation>()
                .ReceiveManuallyAsync(parse.GetValue(paymentId)!, cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(new { payment_id = payment.Id, status = payment.Status });
                return;
            }
            Console.WriteLine($"Purchase {payment.Id}: {payment.Status}.");
        }));
        payments.Subcommands.Add(receive);
        return payments;
    }
}
