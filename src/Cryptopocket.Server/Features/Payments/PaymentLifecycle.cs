using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;

namespace Cryptopocket.Server.Features.Payments;

/// <summary>
/// The money-moving transitions of a purchase. Each one saves the status, its ledger posting and its event in one
/// transaction; the purchase's version makes a concurrent second attempt fail instead of paying twice.
/// </summary>
public sealed class PaymentLifecycle(AppDbContext db, TimeProvider clock)
{
    public async Task RecordPaymentReceivedAsync(Payment payment, string? holderJson, CancellationToken cancellationToken)
    {
        var rows = new AppendOnlyRows();
        StagePaymentReceived(payment, holderJson, rows);
        await SaveAsync(cancellationToken, rows);
    }

    /// <summary>
    /// What <see cref="RecordPaymentReceivedAsync"/> saves, without saving: the status change on the tracked purchase,
    /// its ledger posting and PAY_IN event in <paramref name="rows"/>. A bank import commits a few hundred purchases
    /// with their bank lines in one transaction instead of paying a round trip and a commit for each. The caller saves
    /// the context, then inserts the rows, in one transaction: it commits all of it or nothing.
    /// </summary>
    public void StagePaymentReceived(Payment payment, string? holderJson, AppendOnlyRows rows)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        payment.MarkPaymentReceived(holderJson, now);
        var net = (payment.FiatAmountCents - payment.TotalFeeCents) / 100m;
        new LedgerPosting($"payment:{payment.Id}:received", payment.Id, now)
            .Debit(LedgerAccounts.FiatReceivable(payment.PaymentType), payment.FiatSymbol, payment.FiatAmount)
            .Credit(LedgerAccounts.ProcessingFeeRevenue, payment.FiatSymbol, payment.ProcessingFeeCents / 100m)
            .Credit(LedgerAccounts.NetworkFeeRevenue, payment.FiatSymbol, payment.NetworkFeeCents / 100m)
            .Credit(LedgerAccounts.PartnerFeePayable(payment.IntegrationId), payment.FiatSymbol, payment.PartnerFeeCents / 100m)
            .Credit(LedgerAccounts.Trading, payment.FiatSymbol, net)
            .Debit(LedgerAccounts.Trading, payment.CoinSymbol, payment.CoinAmount)
            .Credit(LedgerAccounts.CryptoOwedToCustomers, payment.CoinSymbol, payment.CoinAmount)
            .AddTo(rows);
        Outbox.Add(rows, payment.IntegrationId, EventTypes.PayIn, payment.Id, payment.ToEventPayload(), now);
    }

    public Task RejectAsync(Payment payment, string reason, CancellationToken cancellationToken) =>
        FailAsync(payment, now => payment.Reject(reason, now), cancellationToken);

    public Task ExpireAsync(Payment payment, CancellationToken cancellationToken) => FailAsync(payment, payment.Expire, cancellationToken);

    public async Task MarkPendingBankAsync(Payment payment, CancellationToken cancellationToken)
    {
        payment.MarkPendingBank(clock.GetUtcNow().UtcDateTime);
        await SaveAsync(cancellationToken);
    }

    /// <summary>An unpaid purchase that will not be paid: the transition, its PAYMENT_FAILED event, and its card use given back.</summary>
    private async Task FailAsync(Payment payment, Action<DateTime> transition, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var counted = CardLimit.Counts(payment);
        transition(now);
        Outbox.Add(db, payment.IntegrationId, EventTypes.PaymentFailed, payment.Id, payment.ToEventPayload(), now);
        await SaveAsync(cancellationToken, releaseCardUse: counted ? payment : null);
    }

    /// <summary>
    /// The tracked changes, then any staged <paramref name="rows"/>, in one transaction (the caller's, if open). A card
    /// purchase that stops counting (<paramref name="releaseCardUse"/>) leaves its customer's card use first: the
    /// customer's row is locked before the purchase's, as every writer of both does.
    /// </summary>
    private async Task SaveAsync(CancellationToken cancellationToken, AppendOnlyRows? rows = null, Payment? releaseCardUse = null)
    {
        await using var transaction = await db.BeginOrJoinAsync(cancellationToken);
        if (releaseCardUse is not null)
        {
            await CardLimit.ReleaseAsync(db, releaseCardUse, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (rows is not null)
        {
            await rows.InsertAsync(db, cancellationToken);
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
