namespace Cryptopocket.Server.Features.Webhooks;

/// <summary>
/// A wake-up that is either pending or not: set twice before it is taken, it wakes once, because one look covers
/// everything that happened before it. What the dispatcher and each of its lanes wait on.
/// </summary>
public sealed class Wakeup : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    /// <summary>True when a wake-up is waiting to be taken.</summary>
    public bool IsPending => _pending.CurrentCount > 0;

    public void Set()
    {
        // Looked at first: it is set on every commit that adds an event, and an exception each time would cost more
        // than the wake-up itself.
        if (_pending.CurrentCount > 0)
        {
            return;
        }
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Set by another thread between the look and the release: pending either way.
        }
    }

    /// <summary>Takes the wake-up, waiting at most <paramref name="timeout"/> for one; false when none came.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _pending.Dispose();
}
