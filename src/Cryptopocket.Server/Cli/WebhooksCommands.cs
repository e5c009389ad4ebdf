using System.CommandLine;
using System.Globalization;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Webhooks;

namespace Cryptopocket.Server.Cli;

public static class WebhooksCommands
{
    public static Command Build()
    {
        var webhooks = new Command("webhooks", "The webhook delivery log and redelivery.");
        webhooks.Subcommands.Add(Deliveries());
        webhooks.Subcommands.Add(Redeliver());
        return webhooks;
    }

    private static Option<int?> IntegrationId() => new("--integration-id") { Description = "Only this integration's deliveries." };

    private static Command Deliveries()
    {
        var integration = IntegrationId();
        var status = new Option<string?>("--status") { Description = "pending, delivered or failed." };
        status.AcceptOnlyFromAmong(WebhookDeliveryStatuses.Pending, WebhookDeliveryStatuses.Delivered, WebhookDeliveryStatuses.Failed);
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 100 };
        var json = GlobalOptions.Json();
        var command = new Command("deliveries", "Lists deliveries with every attempt (time, status code, latency, first bytes of the answer).") { integration, status, limit, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var rows = await context.Services.CreateScope().ServiceProvider.GetRequiredService<WebhookAdmin>()
                .ListAsync(parse.GetValue(integration), parse.GetValue(status), null, Math.Clamp(parse.GetValue(limit), 1, 1000), cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(rows);
                return;
            }
            foreach (var d in rows)
            {
                Console.WriteLine($"{d.Id,-6} {d.Status,-9} {d.EventType,-20} {d.EventId} → {d.Url} ({d.Attempts} attempt(s))");
                foreach (var a in d.AttemptLog)
                {
                    Console.WriteLine($"         {a.AttemptedAt:u} {(a.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "—"),4} {a.LatencyMs,6} ms {a.Error ?? a.ResponseSnippet}");
                }
            }
        }));
        return command;
    }

    private static Command Redeliver()
    {
        var deliveryId = new Option<long?>("--delivery-id") { Description = "One delivery to send again." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "With --to: every delivery of events that happened in [from, to)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of the range (exclusive)." };
        var integration = IntegrationId();
        var json = GlobalOptions.Json();
        var command = new Command("redeliver", "Sends deliveries again: one by id, or every one in a time range.") { deliveryId, from, to, integration, json };
        command.Validators.Add(result =>
        {
            var one = result.GetValue(deliveryId) is not null;
            var range = result.GetValue(from) is not null && result.GetValue(to) is not null;
            if (one == range)
            {
                result.AddError("Give either --delivery-id, or both --from and --to.");
            }
        });
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            await using var context = await OperatorContext.OpenAsync(GlobalOptions.Read(parse), cancellationToken);
            var admin = context.Services.CreateScope().ServiceProvider.GetRequiredService<WebhookAdmin>();
            int count;
            if (parse.GetValue(deliveryId) is { } id)
            {
                count = await admin.RedeliverAsync(parse.GetValue(integration), id, cancellationToken) ? 1 : 0;
                if (count == 0)
                {
                    throw new OperatorException($"No delivery {id}.");
                }
            }
            else
            {
                count = await admin.RedeliverRangeAsync(parse.GetValue(integration), parse.GetValue(from)!.Value.UtcDateTime, parse.GetValue(to)!.Value.UtcDateTime, cancellationToken);
            }
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(new { redelivery_scheduled = count });
                return;
            }
            Console.WriteLine($"{count} delivery(ies) scheduled again; a running server sends them within a second.");
        }));
        return command;
    }
}
