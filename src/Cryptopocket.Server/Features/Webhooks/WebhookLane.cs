namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>
/// One subscription's turn at the dispatcher: a task that delivers its runs back to back while there is work, then
/// waits to be woken (the dispatcher wakes it when the subscription has a due delivery again) until it ends.
/// </summary>
public sealed class WebhookLane(long subscriptionId) : IDisposable
{
    private readonly Wakeup _wake = new();

    public long SubscriptionId { get; } = subscriptionId;

    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>True when a wake-up is waiting to be taken: the lane must look again before it may end.</summary>
    public bool Woken => _wake.IsPending;

    /// <summary>One wake-up covers every delivery that became due before the lane takes it.</summary>
    public void Wake() => _wake.Set();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    /// <summary>Only once the lane is out of the dispatcher's table, where nothing can wake it any more.</summary>
    public void Dispose() => _wake.Dispose();
}
