using System.CommandLine;
using System.Globalization;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Rampoffs;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Cli;

/// <summary>
/// Off-ramp payouts on the production rail: list what is owed, export it as a pain.001 SEPA file for the bank, and
/// confirm the file (or single payouts) once the bank has executed it.
/// </summary>
public static class PayoutsCommands
{
    public static Command Build()
    {
        var payouts = new Command("payouts", "Off-ramp payouts: export owed EUR payouts as an ISO 20022 pain.001 file and confirm them.");
        payouts.Subcommands.Add(List());
        payouts.Subcommands.Add(Export());
        payouts.Subcommands.Add(Confirm());
        payouts.Subcommands.Add(Reopen());
        return payouts;
    }

    private static Command List()
    {
        var status = new Option<string?>("--status") { Description = "crypto_received (owed, not exported) or payout_sent (in a file, not confirmed); default both." };
        status.AcceptOnlyFromAmong(RampoffStatuses.CryptoReceived, RampoffStatuses.PayoutSent);
        var json = GlobalOptions.Json();
        var command = new Command("list", "Lists payouts owed to customers and payouts waiting for the bank's confirmation.") { status, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var wanted = parse.GetValue(status);
            var db = context.Services.CreateScope().ServiceProvider.GetRequiredService<AppDbContext>();
            var rows = await db.Rampoffs.AsNoTracking()
                .Where(r => wanted == null ? r.Status == RampoffStatuses.CryptoReceived || r.Status == RampoffStatuses.PayoutSent : r.Status == wanted)
                .OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(rows.Select(r => new { r.Id, r.Status, FiatAmount = r.FiatAmount.ToString("F2", CultureInfo.InvariantCulture), r.FiatSymbol, r.Iban, r.HolderName, r.PayoutBatchId }));
                return;
            }
            foreach (var r in rows)
            {
                Console.WriteLine($"{r.Id} {r.Status,-15} {r.FiatAmount,12:F2} {r.FiatSymbol} {r.Iban,-34} {r.HolderName} {r.PayoutBatchId ?? ""}");
            }
        }));
        return command;
    }

    private static Command Export()
    {
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the file (default: ./<batch id>.xml)." };
        var batch = new Option<string?>("--batch") { Description = "Write an earlier batch's file again instead of exporting new payouts." };
        var date = new Option<string?>("--execution-date") { Description = "Requested execution date, YYYY-MM-DD (default: today)." };
        var json = GlobalOptions.Json();
        var command = new Command("export", "Puts every owed payout into one pain.001.001.09 SEPA credit-transfer file; they become payout_sent.") { output, batch, date, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            DateOnly? executionDate = null;
            if (parse.GetValue(date) is { } text)
            {
                executionDate = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                    ? parsed
                    : throw new OperatorException($"--execution-date must be a date written YYYY-MM-DD, not '{text}'.");
            }
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var service = context.Services.CreateScope().ServiceProvider.GetRequiredService<PayoutService>();
            var exported = parse.GetValue(batch) is { } batchId
                ? await service.RewriteAsync(batchId, cancellationToken) ?? throw new OperatorException($"No payout batch {batchId}.")
                : await service.ExportAsync(executionDate, cancellationToken);
            if (exported is null)
            {
                if (parse.GetValue(json))
                {
                    OperatorContext.WriteJson(new { Batch = (string?)null, Count = 0 });
                }
                else
                {
                    Console.WriteLine("No payouts are owed; no file written.");
                }
                return;
            }
            var path = parse.GetValue(output)?.FullName ?? Path.GetFullPath($"{exported.Batch.Id}.xml");
            await File.WriteAllTextAsync(path, exported.Xml, cancellationToken);
            var total = (exported.Batch.TotalCents / 100m).ToString("F2", CultureInfo.InvariantCulture);
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(new { Batch = exported.Batch.Id, exported.Batch.Count, Total = total, Currency = "EUR", File = path });
                return;
            }
            Console.WriteLine($"Wrote {exported.Batch.Count} payout(s), {total} EUR in total, to {path} (batch {exported.Batch.Id}).");
            Console.WriteLine($"Upload it to the bank; once executed: cryptopocket payouts confirm --batch {exported.Batch.Id}");
        }));
        return command;
    }

    private static Command Confirm()
    {
        var batch = new Option<string?>("--batch") { Description = "Confirm every payout of this file." };
        var id = new Option<string?>("--id") { Description = "Confirm one off-ramp operation's payout." };
        var json = GlobalOptions.Json();
        var command = new Command("confirm", "Marks payouts the bank executed as paid: the operations become finished (TRANSFER_RAMPOFF_FINISHED).") { batch, id, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            var batchId = parse.GetValue(batch);
            var rampoffId = parse.GetValue(id);
            if ((batchId is null) == (rampoffId is null))
            {
                throw new OperatorException("Give exactly one of --batch or --id.");
            }
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var service = context.Services.CreateScope().ServiceProvider.GetRequiredService<PayoutService>();
            int finished;
            if (batchId is not null)
            {
                finished = await service.ConfirmBatchAsync(batchId, cancellationToken) ?? throw new OperatorException($"No payout batch {batchId}.");
            }
            else
            {
                finished = await service.ConfirmOneAsync(rampoffId!, cancellationToken)
                    ? 1
                    : throw new OperatorException($"Off-ramp operation {rampoffId} has no payout waiting for confirmation (it must be {RampoffStatuses.PayoutSent}).");
            }
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(new { Finished = finished });
                return;
            }
            Console.WriteLine(finished == 0 ? "Nothing to confirm: already confirmed." : $"{finished} payout(s) confirmed; their operations are finished.");
        }));
        return command;
    }

    private static Command Reopen()
    {
        var id = new Option<string>("--id") { Description = "The off-ramp operation whose payout the bank returned.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (kept as the operation's failure_reason until it is paid).", DefaultValueFactory = _ => "payout_returned" };
        var json = GlobalOptions.Json();
        var command = new Command("reopen", "A payout the bank returned or refused is owed again: it goes into the next export.") { id, reason, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            var rampoffId = parse.GetValue(id)!;
            var text = parse.GetValue(reason)!;
            if (text.Length > 200)
            {
                throw new OperatorException("--reason is at most 200 characters.");
            }
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var reopened = await context.Services.CreateScope().ServiceProvider.GetRequiredService<PayoutService>().ReopenAsync(rampoffId, text, cancellationToken);
            if (!reopened)
            {
                throw new OperatorException($"Off-ramp operation {rampoffId} has no payout in a file (it must be {RampoffStatuses.PayoutSent}).");
            }
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(new { Id = rampoffId, Status = RampoffStatuses.CryptoReceived });
                return;
            }
            Console.WriteLine($"{rampoffId} is owed again; it goes into the next 'cryptopocket payouts export'.");
        }));
        return command;
    }
}
