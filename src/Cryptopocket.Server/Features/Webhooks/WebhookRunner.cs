using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>How a run ended: attempts made, and whether the subscription may have more due right now.</summary>
public readonly record struct WebhookRunResult(int Attempted, bool More)
{
    public static readonly WebhookRunResult Nothing = new(0, false);
}

/// <summary>
/// Delivers runs of one subscription's deliveries, in sequence order. A run is read (with the event, the URL and the
/// integration's key, so an updated URL or rotated secret counts from the next run) and leased in one conditional
/// update; only the leased prefix is sent, a window at a time (up to <see cref="WebhookOptions.InFlightPerSubscription"/>
/// at once, never two events of one resource together), stopping after the window of the first failure (its retry
/// holds the rest back). Outcomes are saved in batches and always before the run ends: a crash between a send and its
/// save only means the delivery is sent again once the lease runs out, which at-least-once allows (receivers dedupe by
/// X-Event-Id). A batch is written with set-based statements while the next window is already on its way: the sends
/// themselves take a millisecond or two on loopback, and saving 32 outcomes as tracked entities, one after another with
/// the sends, was nine tenths of a busy subscription's time (docs/performance.md, "Eleventh session").
/// One runner is one database context and one HTTP client: it serves one subscription at a time.
/// </summary>
public sealed class WebhookRunner(
    AsyncServiceScope scope, HttpClient http, IOptionsMonitor<WebhookOptions> optionsMonitor, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>Outcomes kept before a save within a long run: bounds what a crash sends twice.</summary>
    private const int SaveEvery = 32;

    /// <summary>What an attempt changes on its delivery; a delivery given back unattempted changes only its lease.</summary>
    private static readonly string[] OutcomeColumns =
    [
        nameof(WebhookDelivery.Attempts), nameof(WebhookDelivery.LastStatusCode), nameof(WebhookDelivery.ClaimedUntil),
        nameof(WebhookDelivery.Status), nameof(WebhookDelivery.DeliveredAt), nameof(WebhookDelivery.NextAttemptAt),
    ];

    private static readonly string[] LeaseColumn = [nameof(WebhookDelivery.ClaimedUntil)];

    private readonly AppDbContext _db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    private Outcomes _unsaved = new();

    /// <summary>The save in progress, if any: it alone uses the database context until it ends.</summary>
    private Task _saving = Task.CompletedTask;
    private string? _protectedSecret;
    private string _secret = "";

    private sealed record RunRow(WebhookDelivery Delivery, OutboxEvent Event);

    /// <summary>Where the run goes and whose key signs it: read once per run, not with each of its rows.</summary>
    private sealed record RunTarget(string Url, Integration Integration);

    public async Task<WebhookRunResult> DeliverRunAsync(long subscriptionId, CancellationToken cancellationToken)
    {
        var options = optionsMonitor.CurrentValue;
        var rows = await (
                from d in _db.WebhookDeliveries
                join e in _db.OutboxEvents on d.EventSequence equals e.Sequence
                where d.SubscriptionId == subscriptionId && d.Status == WebhookDeliveryStatuses.Pending
                orderby d.EventSequence
                select new RunRow(d, e))
            .Take(options.RunLength).AsNoTracking().ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        // Only a prefix may go: a delivery waiting for its retry, or leased elsewhere, holds back every later one.
        var due = rows.TakeWhile(r => r.Delivery.NextAttemptAt <= now && (r.Delivery.ClaimedUntil is null || r.Delivery.ClaimedUntil < now)).ToList();
        if (due.Count == 0)
        {
            return WebhookRunResult.Nothing;
        }
        // Apart from the rows: joined to each of them, the integration's strings were a copy per row, and a run of 250
        // held them in memory for as long as it took to send (docs/performance.md, "Sixteenth session").
        var target = await (
                from s in _db.WebhookSubscriptions
                join i in _db.Integrations on s.IntegrationId equals i.Id
                where s.Id == subscriptionId
                select new RunTarget(s.Url, i))
            .AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (target is null)
        {
            return WebhookRunResult.Nothing;
        }
        var until = WebhookLease.Until(now, options.Timeout);
        var leased = await WebhookLease.TakeAsync(_db, [.. due.Select(r => r.Delivery.Id)], now, until, cancellationToken);
        var run = due.TakeWhile(r => leased.Contains(r.Delivery.Id)).ToList();
        if (run.Count < leased.Count)
        {
            // Another instance took a delivery in the middle: what we won after it must wait for it, so give it back.
            await WebhookLease.ReleaseAsync(_db, [.. leased.Except(run.Select(r => r.Delivery.Id))], until, cancellationToken);
        }
        if (run.Count == 0)
        {
            return WebhookRunResult.Nothing;
        }

        var url = new Uri(target.Url);
        var secret = Secret(target.Integration);
        var resources = run.ConvertAll(r => r.Event.ResourceId);
        var attempted = 0;
        var failed = false;
        try
        {
            while (attempted < run.Count && !failed)
            {
                if (clock.GetUtcNow().UtcDateTime + options.Timeout >= until)
                {
                    // A slow receiver ate the lease: an attempt now could outlive it. Save and lease again.
                    break;
                }
                var window = run.GetRange(attempted, WindowLength(resources, attempted, options.InFlightPerSubscription));
                var sent = await Task.WhenAll(window.Select(row => SendAsync(row, url, target.Integration.ApiKey, secret, options, cancellationToken)));
                // Recorded in sequence order. A failure stops the run after its window: it holds the rest back.
                for (var i = 0; i < window.Count; i++)
                {
                    failed |= !Record(window[i], sent[i], options);
                }
                attempted += window.Count;
                if (_unsaved.Attempts.Count >= SaveEvery)
                {
                    // Saved while the next window is sent; the save before it must have ended first.
                    await _saving;
                    _saving = SaveAsync(TakeUnsaved());
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await EndRunAsync(run.Skip(attempted));
            throw;
        }
        // Whether it ran out, failed or was cut short: what was sent is logged, and the leases of what was not are given back.
        await EndRunAsync(run.Skip(attempted));
        return new WebhookRunResult(attempted, More: !failed);
    }

    /// <summary>
    /// How many of the run's next deliveries, from <paramref name="start"/> (given their events' resources in sequence
    /// order), to send at once: at most <paramref name="size"/> (at least one), ending before a second event of a
    /// resource already taken, so one purchase's (or customer's, or sale's) events still go one after another, in order.
    /// </summary>
    internal static int WindowLength(IReadOnlyList<string> resourceIds, int start, int size)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var end = start;
        while (end < resourceIds.Count && end - start < Math.Max(1, size) && taken.Add(resourceIds[end]))
        {
            end++;
        }
        return end - start;
    }

    /// <summary>The HMAC key, decrypted again only when the integration's secret changed since the last run.</summary>
    private string Secret(Integration integration)
    {
        if (integration.SecretProtected != _protectedSecret)
        {
            _secret = scope.ServiceProvider.GetRequiredService<IntegrationService>().UnprotectSecret(integration);
            _protectedSecret = integration.SecretProtected;
        }
        return _secret;
    }

    /// <summary>What one attempt got: the status (none when the request failed), the answer's first bytes, or the error.</summary>
    private readonly record struct SendResult(int? Status, string? Snippet, string? Error, TimeSpan Latency, DateTime Finished);

    /// <summary>One signed POST. Touches nothing shared but the HTTP client: several are in flight at once.</summary>
    private async Task<SendResult> SendAsync(
        RunRow row, Uri url, string apiKey, string secret, WebhookOptions options, CancellationToken cancellationToken)
    {
        var body = WebhookMessage.Body(row.Event);
        using var request = WebhookMessage.Request(url, body, apiKey, secret, row.Event, clock.GetUtcNow().ToUnixTimeSeconds());
        int? status = null;
        string? snippet = null;
        string? error = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            snippet = await ReadSnippetAsync(response, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or OperationCanceledException or SocketException
                                          && !cancellationToken.IsCancellationRequested)
        {
            error = exception is OperationCanceledException ? "timed out" : exception.Message;
        }
        return new SendResult(status, snippet, error, Stopwatch.GetElapsedTime(started), clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Logs an attempt and finishes or reschedules its delivery (saved later); true when delivered.</summary>
    private bool Record(RunRow row, SendResult sent, WebhookOptions options)
    {
        var delivery = row.Delivery;
        _unsaved.Attempts.Add(new WebhookAttempt
        {
            DeliveryId = delivery.Id, AttemptedAt = sent.Finished, StatusCode = sent.Status, LatencyMs = (int)sent.Latency.TotalMilliseconds,
            ResponseSnippet = sent.Snippet, Error = sent.Error is null ? null : sent.Error[..Math.Min(500, sent.Error.Length)],
        });
        _unsaved.Attempted.Add(delivery);
        delivery.Attempts++;
        delivery.LastStatusCode = sent.Status;
        delivery.ClaimedUntil = null;
        var delivered = sent.Status is >= 200 and < 300;
        if (delivered)
        {
            delivery.Status = WebhookDeliveryStatuses.Delivered;
            delivery.DeliveredAt = sent.Finished;
        }
        else
        {
            var schedule = options.EffectiveRetrySchedule;
            if (delivery.Attempts > schedule.Count)
            {
                delivery.Status = WebhookDeliveryStatuses.Failed;
            }
            else
            {
                var wait = schedule[delivery.Attempts - 1];
                // ±10 % jitter, so receivers coming back up are not hit by every retry in the same second.
                delivery.NextAttemptAt = sent.Finished + wait * (0.9 + Random.Shared.NextDouble() * 0.2);
            }
        }
        return delivered;
    }

    /// <summary>Saves the run's outcomes, giving back with them the leases of the deliveries it did not attempt.</summary>
    private async Task EndRunAsync(IEnumerable<RunRow> notAttempted)
    {
        foreach (var row in notAttempted)
        {
            row.Delivery.ClaimedUntil = null;
            _unsaved.Released.Add(row.Delivery);
        }
        await _saving;
        _saving = Task.CompletedTask;
        await SaveAsync(TakeUnsaved());
    }

    /// <summary>Outcomes recorded and not yet saved: the attempts, the deliveries they changed, the leases given back.</summary>
    private sealed class Outcomes
    {
        public List<WebhookAttempt> Attempts { get; } = [];
        public List<WebhookDelivery> Attempted { get; } = [];
        public List<WebhookDelivery> Released { get; } = [];
    }

    private Outcomes TakeUnsaved()
    {
        var taken = _unsaved;
        _unsaved = new Outcomes();
        return taken;
    }

    /// <summary>
    /// One transaction (on PostgreSQL one statement): the attempts inserted, and each delivery's changed columns written
    /// by key (the run read its rows untracked; its lease means no one else changes them meanwhile).
    /// </summary>
    private async Task SaveAsync(Outcomes outcomes)
    {
        if (outcomes.Attempts.Count == 0 && outcomes.Released.Count == 0)
        {
            return;
        }
        if (_db.IsPostgres)
        {
            await SaveInOneStatementAsync(outcomes);
            return;
        }
        // Not cancellable: the attempts were made, and the log and the leases must say so.
        await using var transaction = await _db.Database.BeginTransactionAsync(CancellationToken.None);
        await MultiRowInsert.InsertAsync(_db, outcomes.Attempts, CancellationToken.None);
        await MultiRowUpdate.UpdateAsync(_db, outcomes.Attempted, OutcomeColumns, CancellationToken.None);
        await MultiRowUpdate.UpdateAsync(_db, outcomes.Released, LeaseColumn, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>
    /// PostgreSQL: the attempts inserted and the deliveries written by one statement, atomic by itself, so one round trip
    /// instead of three (the insert, the update, the commit). The save at a run's end lies between that run and the next:
    /// on a saturated machine each round trip waits for a turn on the CPU at both ends (docs/performance.md,
    /// "Seventeenth session").
    /// </summary>
    private async Task SaveInOneStatementAsync(Outcomes outcomes)
    {
        // A delivery given back unattempted still holds what the run read, which its lease kept anyone else from
        // changing: written back with the outcome columns, only its lease changes.
        List<WebhookDelivery> changed = [.. outcomes.Attempted, .. outcomes.Released];
        await using var statement = await RowStatement.AloneAsync(_db, "WITH attempts AS (", CancellationToken.None);
        MultiRowInsert.AppendTo(statement, _db, outcomes.Attempts).Text.Append(") ");
        await MultiRowUpdate.AppendTo(statement, _db, changed, OutcomeColumns).ExecuteAsync(CancellationToken.None);
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var snippet = new byte[500];
        var read = 0;
        int n;
        while (read < snippet.Length && (n = await stream.ReadAsync(snippet.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }
        return Encoding.UTF8.GetString(snippet, 0, read);
    }

    public async ValueTask DisposeAsync()
    {
        // A run that failed mid-way may leave its last save running on the context about to be disposed; its outcome
        // no longer matters here (the failure that ended the run is what gets logged, and leases cover the rest).
        await _saving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        http.Dispose();
        await scope.DisposeAsync();
    }
}
