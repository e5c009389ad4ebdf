using System.Security.Cryptography;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Payouts.Pain001;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>A pain.001 file and the batch it records.</summary>
public sealed record ExportedBatch(PayoutBatch Batch, string Xml);

/// <summary>
/// Pays customers the EUR they sold for. Sandbox rail: a simulated bank pays each payout shortly after the crypto
/// arrived. Production rail: an operator exports the owed payouts as one pain.001 SEPA file (they become payout_sent,
/// recorded against the file's message id), uploads it to the bank, and confirms the file once the bank has executed
/// it (they become finished). Each step is one transaction; a payout is in at most one file.
/// </summary>
public sealed class PayoutService(
    AppDbContext db, RampoffLifecycle lifecycle, IOptionsMonitor<RampoffOptions> options, IOptionsMonitor<PaymentOptions> bank, TimeProvider clock)
{
    public const int MaxPerFile = 5000;

    public async Task<int> CompleteSandboxPayoutsAsync(CancellationToken cancellationToken)
    {
        if (options.CurrentValue.PayoutRail != PayoutRails.Sandbox)
        {
            return 0;
        }
        var due = clock.GetUtcNow().UtcDateTime - options.CurrentValue.SandboxPayoutDelay;
        var ids = await db.Rampoffs.AsNoTracking()
            .Where(r => r.Status == RampoffStatuses.CryptoReceived && r.ReceivedAt <= due)
            .OrderBy(r => r.ReceivedAt).Select(r => r.Id).Take(200).ToListAsync(cancellationToken);
        var paid = 0;
        foreach (var id in ids)
        {
            paid += await FinishAsync(id, r => r.Status == RampoffStatuses.CryptoReceived, cancellationToken) ? 1 : 0;
        }
        return paid;
    }

    /// <summary>Puts every owed payout into a new file; null when none is owed.</summary>
    public async Task<ExportedBatch?> ExportAsync(DateOnly? executionDate, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var owed = await db.Rampoffs.Where(r => r.Status == RampoffStatuses.CryptoReceived)
            .OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id).Take(MaxPerFile).ToListAsync(cancellationToken);
        if (owed.Count == 0)
        {
            return null;
        }
        var batch = new PayoutBatch
        {
            Id = $"CPPAY{now:yyyyMMddHHmmss}-{RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6)}",
            CreatedAt = now,
            ExecutionDate = executionDate ?? DateOnly.FromDateTime(now),
            Count = owed.Count,
            TotalCents = owed.Sum(r => r.FiatAmountCents),
        };
        db.PayoutBatches.Add(batch);
        foreach (var rampoff in owed)
        {
            rampoff.MarkPayoutSent(batch.Id, now);
        }
        // Another exporter taking the same payouts fails on their versions and rolls back: one file per payout.
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ExportedBatch(batch, Pain001Writer.Write(ToTransfers(batch, owed)));
    }

    /// <summary>The file of an earlier export, written again from the database (it is the same file).</summary>
    public async Task<ExportedBatch?> RewriteAsync(string batchId, CancellationToken cancellationToken)
    {
        var batch = await db.PayoutBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null)
        {
            return null;
        }
        var payouts = await db.Rampoffs.AsNoTracking().Where(r => r.PayoutBatchId == batchId)
            .OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return new ExportedBatch(batch, Pain001Writer.Write(ToTransfers(batch, payouts)));
    }

    /// <summary>The bank executed the file: each of its payouts is finished. Answers how many changed (0 when already confirmed).</summary>
    public async Task<int?> ConfirmBatchAsync(string batchId, CancellationToken cancellationToken)
    {
        var batch = await db.PayoutBatches.SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null)
        {
            return null;
        }
        var ids = await db.Rampoffs.AsNoTracking().Where(r => r.PayoutBatchId == batchId && r.Status == RampoffStatuses.PayoutSent)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        var finished = 0;
        foreach (var id in ids)
        {
            finished += await FinishAsync(id, r => r.Status == RampoffStatuses.PayoutSent && r.PayoutBatchId == batchId, cancellationToken) ? 1 : 0;
        }
        db.ChangeTracker.Clear();
        await db.PayoutBatches.Where(b => b.Id == batchId && b.ConfirmedAt == null)
            .ExecuteUpdateAsync(b => b.SetProperty(x => x.ConfirmedAt, clock.GetUtcNow().UtcDateTime), cancellationToken);
        return finished;
    }

    /// <summary>One payout confirmed on its own (the bank executed part of a file). False if it was not awaiting confirmation.</summary>
    public Task<bool> ConfirmOneAsync(string rampoffId, CancellationToken cancellationToken) =>
        FinishAsync(rampoffId, r => r.Status == RampoffStatuses.PayoutSent, cancellationToken);

    /// <summary>The bank returned or refused a payout that was in a file: it is owed again (next export). False if it was not in a file.</summary>
    public async Task<bool> ReopenAsync(string rampoffId, string reason, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var rampoff = await db.Rampoffs.SingleOrDefaultAsync(r => r.Id == rampoffId, cancellationToken);
        if (rampoff is not { Status: RampoffStatuses.PayoutSent })
        {
            return false;
        }
        rampoff.ReopenPayout(reason, clock.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Confirmed or reopened by someone else meanwhile; theirs stands.
            return false;
        }
    }

    /// <summary>Finishes the payout if the operation is still in the state <paramref name="awaiting"/> describes.</summary>
    private async Task<bool> FinishAsync(string id, Func<Rampoff, bool> awaiting, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var rampoff = await db.Rampoffs.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rampoff is null || !awaiting(rampoff))
        {
            return false;
        }
        try
        {
            lifecycle.Finish(rampoff);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Confirmed by someone else meanwhile; theirs stands.
            return false;
        }
    }

    private CreditTransferBatch ToTransfers(PayoutBatch batch, IReadOnlyList<Rampoff> payouts) => new(
        batch.Id, new DateTimeOffset(batch.CreatedAt), bank.CurrentValue.BankDestinationName,
        new DebtorAccount(bank.CurrentValue.BankDestinationName, bank.CurrentValue.BankIban, string.IsNullOrEmpty(bank.CurrentValue.BankBic) ? null : bank.CurrentValue.BankBic),
        batch.ExecutionDate,
        payouts.Select(r => new CreditTransfer(r.Id, r.FiatAmount, r.HolderName, r.Iban, null, $"Cryptopocket sale {r.Id}")).ToList());
}
