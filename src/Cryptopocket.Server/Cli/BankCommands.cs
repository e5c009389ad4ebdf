using System.CommandLine;
using Cryptopocket.Server.Features.Banking;
using Cryptopocket.Server.Features.Banking.Statements;
using Cryptopocket.Server.Features.Integrations;

namespace Cryptopocket.Server.Cli;

public static class BankCommands
{
    public static Command Build()
    {
        var bank = new Command("bank", "Bank statements: import ISO 20022 files and review what did not match.");
        bank.Subcommands.Add(Import());
        bank.Subcommands.Add(Transactions());
        return bank;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A camt.053 statement or camt.054 notification (XML)." };
        var json = GlobalOptions.Json();
        var command = new Command("import", "Imports a bank statement and pays the transfer purchases it matches by concept and amount.") { file, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new OperatorException($"No file at {path.FullName}.");
            }
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            await using var scope = context.Services.CreateAsyncScope();
            await using var stream = path.OpenRead();
            ImportSummary summary;
            try
            {
                summary = await scope.ServiceProvider.GetRequiredService<BankReconciliation>().ImportAsync(stream, path.Name, cancellationToken);
            }
            catch (BankStatementFormatException exception)
            {
                throw new OperatorException($"{path.Name} is not a statement this can read: {exception.Message}");
            }
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(summary);
                return;
            }
            Console.WriteLine($"{path.Name} ({summary.MessageType}): {summary.Lines} line(s): {summary.Matched} matched, {summary.Unmatched} unmatched, " +
                $"{summary.Mismatched} mismatched, {summary.Ignored} ignored, {summary.Pending} pending (not recorded), {summary.AlreadyImported} already imported.");
            if (summary.Unmatched + summary.Mismatched > 0)
            {
                Console.WriteLine("Review them with: cryptopocket bank transactions --status unmatched (or mismatched)");
            }
        }));
        return command;
    }

    private static Command Transactions()
    {
        var status = new Option<string?>("--status") { Description = "matched, unmatched, mismatched or ignored (default: all)." };
        status.AcceptOnlyFromAmong(BankTransactionStatuses.Matched, BankTransactionStatuses.Unmatched, BankTransactionStatuses.Mismatched, BankTransactionStatuses.Ignored);
        var json = GlobalOptions.Json();
        var command = new Command("transactions", "Lists imported bank lines and what became of each.") { status, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            await using var scope = context.Services.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<BankReconciliation>().ListAsync(parse.GetValue(status), cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(rows.Select(r => new
                {
                    r.Id, r.EntryReference, r.Amount, r.Currency, r.IsCredit, r.BookingStatus, r.BookingDate,
                    r.RemittanceInformation, r.DebtorName, r.Status, r.PaymentId, r.Note, r.Source,
                }));
                return;
            }
            foreach (var r in rows)
            {
                Console.WriteLine($"{r.Id,-5} {r.Status,-10} {r.Amount,12} {r.Currency} {r.BookingDate} {r.PaymentId ?? "-",-25} {r.RemittanceInformation} {(r.Note is null ? "" : "— " + r.Note)}");
            }
        }));
        return command;
    }
}
