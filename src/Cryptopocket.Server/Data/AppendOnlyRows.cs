using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Webhooks;

namespace Cryptopocket.Server.Data;

/// <summary>
/// Ledger lines and outbox events staged for one transaction and written with a few multi-row INSERTs
/// (<see cref="MultiRowInsert"/>) rather than tracked by EF: a purchase paid or sent adds five to eight such rows, and
/// for a bank import's chunk or a settlement round tracking them was most of the process's work.
/// </summary>
/// <remarks>
/// <see cref="InsertAsync"/> runs inside the caller's transaction, after its tracked changes are saved, so the rows
/// commit with the change they record or not at all; the events' commit wakes the dispatchers as tracked ones do.
/// </remarks>
public sealed class AppendOnlyRows
{
    private readonly List<LedgerEntry> _ledgerEntries = [];
    private readonly List<OutboxEvent> _events = [];

    public void Add(IEnumerable<LedgerEntry> ledgerEntries) => _ledgerEntries.AddRange(ledgerEntries);

    public void Add(OutboxEvent outboxEvent) => _events.Add(outboxEvent);

    public async Task InsertAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        await MultiRowInsert.InsertAsync(db, _ledgerEntries, cancellationToken);
        // In staging order: an event's sequence is its place in the integration's delivery order.
        await MultiRowInsert.InsertAsync(db, _events, cancellationToken);
        OutboxCommitInterceptor.Remember(db, _events.Select(e => e.Type));
        _ledgerEntries.Clear();
        _events.Clear();
    }
}
