using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>
/// On PostgreSQL, commits made by another process (the command line's <c>bank import</c>, redelivery) wake the
/// server's dispatcher at once instead of at its next <see cref="WebhookOptions.IdlePoll"/>: that process NOTIFYs after
/// committing outbox events, and the server LISTENs. The notification's payload lists the committed events' types
/// (comma-separated), so the server also wakes what waits on one of them (<see cref="WebhookSignal.WakeOn"/>); an empty
/// payload wakes every waiter. SQLite has no such thing and keeps polling.
/// </summary>
public static class WebhookNotifications
{
    public const string Channel = "cryptopocket_outbox";
    private const string NotifySql = "SELECT pg_notify('" + Channel + "', $1)";
    internal const string ListenSql = "LISTEN " + Channel;

    /// <summary>
    /// After a commit of events of <paramref name="types"/> (null: not known) that dispatchers must see: wakes this
    /// process's and, where there is none here, the server's.
    /// </summary>
    /// <remarks>Takes no cancellation token: the work is committed whatever happens now, and should be announced.</remarks>
    public static async Task WakeDispatchersAsync(WebhookSignal signal, DatabaseFacade database, IReadOnlyCollection<string>? types = null)
    {
        signal.Committed(types);
        if (!signal.DispatcherRunsHere && database.IsNpgsql())
        {
            await AnnounceAsync(database.GetConnectionString()!, types, CancellationToken.None);
        }
    }

    public static void WakeDispatchers(WebhookSignal signal, DatabaseFacade database, IReadOnlyCollection<string>? types = null)
    {
        signal.Committed(types);
        if (!signal.DispatcherRunsHere && database.IsNpgsql())
        {
            Announce(database.GetConnectionString()!, types);
        }
    }

    /// <summary>The types a notification's payload lists; null (every waiter) for an empty one.</summary>
    public static IReadOnlyCollection<string>? TypesOf(string payload) =>
        string.IsNullOrEmpty(payload) ? null : payload.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static NpgsqlCommand NotifyCommand(NpgsqlConnection connection, IReadOnlyCollection<string>? types) =>
        new(NotifySql, connection) { Parameters = { new NpgsqlParameter { Value = types is null ? "" : string.Join(',', types) } } };

    /// <summary>
    /// Tells listening dispatchers that outbox events were committed. On a connection of its own, after the commit
    /// (a NOTIFY inside the transaction would hold PostgreSQL's notification lock through the commit). Best effort:
    /// if it fails, the dispatcher still finds the events at its next poll, so the caller's committed work stands.
    /// </summary>
    public static async Task AnnounceAsync(string connectionString, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var notify = NotifyCommand(connection, types);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            // The next poll finds the events.
        }
    }

    public static void Announce(string connectionString, IReadOnlyCollection<string>? types)
    {
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var notify = NotifyCommand(connection, types);
            notify.ExecuteNonQuery();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            // The next poll finds the events.
        }
    }
}

/// <summary>
/// The server's side of <see cref="WebhookNotifications"/>: one connection that LISTENs and wakes the dispatcher on each
/// notification, reconnecting after a failure (and waking the dispatcher then too, for anything committed meanwhile).
/// </summary>
public sealed class WebhookNotificationListener(ServerOptions server, WebhookSignal signal, ILogger<WebhookNotificationListener> logger) : BackgroundService
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (server.Provider != DatabaseProvider.Postgres)
        {
            return;
        }
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            // Its own connection for its whole life, pinged while idle so a dead one is noticed and replaced.
            Pooling = false,
            KeepAlive = 30,
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) => signal.Committed(WebhookNotifications.TypesOf(notification.Payload));
                await using (var listen = new NpgsqlCommand(WebhookNotifications.ListenSql, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Anything committed while nobody listened.
                signal.Committed(null);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Listening for webhook notifications failed; reconnecting in {Delay}", Reconnect);
                await Task.Delay(Reconnect, stoppingToken);
            }
        }
    }
}
