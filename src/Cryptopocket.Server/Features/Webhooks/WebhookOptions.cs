namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>Section "Webhooks".</summary>
public sealed class WebhookOptions
{
    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The fallback look at the table when no commit woke the dispatcher (other instances' events, retries due).</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Subscriptions served at once by one instance, each by its own lane.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// Deliveries of one subscription in flight at once: the next ones in sequence order, never two events of one
    /// resource (a purchase, a customer, a sale) together, so each resource's events arrive in order. 1 sends a
    /// subscription's events strictly one after another. With one at a time, a loopback POST of 11–19 ms on a busy
    /// server bounded a subscription to 50–90 events a second, and a block of settlement's events waited in line
    /// (docs/performance.md, "Ninth session").
    /// </summary>
    public int InFlightPerSubscription { get; set; } = 8;

    /// <summary>
    /// Deliveries of one subscription read and leased together (one query, one conditional update), then sent in
    /// windows of <see cref="InFlightPerSubscription"/>; the URL, API key and secret come with the run. Between two runs
    /// the first one's last outcomes are saved and the next one is read and leased, while nothing is in flight: with 100
    /// these pauses were most of the time a thousand PAY_IN events of one partner took (docs/performance.md, "Eleventh
    /// session").
    /// </summary>
    public int RunLength { get; set; } = 250;

    /// <summary>
    /// Waits after each failed attempt; after the last, the delivery is failed. The default spans just over three days:
    /// 10 s, 30 s, 1 min, 2 min, 5 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then 12 h five times.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4),
        TimeSpan.FromHours(8), TimeSpan.FromHours(12), TimeSpan.FromHours(12), TimeSpan.FromHours(12), TimeSpan.FromHours(12), TimeSpan.FromHours(12),
    ];

    /// <summary>
    /// Configured waits, replacing the default entirely (the configuration binder appends to a pre-filled list, so
    /// the default lives apart and applies only when nothing is configured).
    /// </summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;
}
