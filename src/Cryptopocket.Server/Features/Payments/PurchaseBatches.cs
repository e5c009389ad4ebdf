using Cryptopocket.Server.Data;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Features.Payments;

/// <summary>
/// A purchase checked as far as it can be without its customer's row: what is left is decided in a batch.
/// <paramref name="Decide"/> applies the rules to the customer (null when the integration has no such customer) and
/// answers the refusal or the new purchase, created at the batch's time; it must not touch the request.
/// </summary>
public sealed class PurchaseDraft(int integrationId, long userId, bool card, long limitCents, Func<Customer?, DateTime, PurchaseOutcome> decide,
    Func<PurchaseOutcome> limitRefusal) : TaskCompletionSource<PurchaseOutcome?>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public int IntegrationId => integrationId;
    public long UserId => userId;
    public bool Card => card;
    public long LimitCents => limitCents;
    /// <summary>The refusal when the card limit would be exceeded: made only then (its message is formatted).</summary>
    public PurchaseOutcome LimitRefusal() => limitRefusal();
    public PurchaseOutcome Decide(Customer? customer, DateTime now) => decide(customer, now);
}

/// <summary>
/// Creates the purchases of many concurrent requests in one transaction: their customers read and locked with one
/// statement, the purchases written with one statement and their customers' card use with another, one commit.
/// Alone, a card purchase is four round trips and its commit; on a small machine those cost more than the database's
/// work (docs/performance.md, "Eighth session").
/// </summary>
/// <remarks>
/// Exactly as strict as one at a time: the customers stay locked until the commit, their card use (<see cref="CardLimit"/>)
/// is read with the lock, and the batch's own purchases are added to it in arrival order, so the limit holds across the batch and
/// against other batches and instances. If the batch fails (a clashing concept or external id, a lost connection),
/// nothing of it is stored and each of its purchases is created again alone, where those cases are handled.
/// </remarks>
public sealed class PurchaseBatches
{
    /// <summary>Purchases per transaction: more than a busy server's connections; the transaction stays short.</summary>
    public const int MaxPurchasesPerBatch = 128;

    /// <summary>Concepts drawn for one purchase of a batch before the batch gives up (each draw clashes about once in 900 at a million purchases).</summary>
    private const int ConceptDraws = 3;

    private readonly IDbContextFactory<AppDbContext> contexts;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly BatchDrain<PurchaseDraft> drain;

    public PurchaseBatches(IDbContextFactory<AppDbContext> contexts, ServerOptions options, TimeProvider clock, ILogger<PurchaseBatches> logger)
    {
        this.contexts = contexts;
        this.clock = clock;
        this.logger = logger;
        // On PostgreSQL, one batch can wait on its round trips while another is at the database. Measured with 64
        // connections (docs/performance.md, "Eighth session"): one at a time 2,200–2,300 purchases/s, two 2,400–2,800,
        // four no better. Two cannot deadlock: each locks its customers in id order. SQLite has one writer at a time.
        Drains = options.Provider == DatabaseProvider.Postgres ? 2 : 1;
        drain = new BatchDrain<PurchaseDraft>(StoreAsync, Fail, MaxPurchasesPerBatch, Drains);
    }

    /// <summary>Batches in flight at most.</summary>
    public int Drains { get; }

    /// <summary>The draft's outcome, or null when its batch failed and it is to be created alone.</summary>
    public Task<PurchaseOutcome?> CreateAsync(PurchaseDraft draft, CancellationToken cancellationToken)
    {
        drain.Enqueue(draft);
        return draft.Task.WaitAsync(cancellationToken);
    }

    private async Task StoreAsync(List<PurchaseDraft> drafts)
    {
        var outcomes = new PurchaseOutcome[drafts.Count];
        var created = new List<int>(drafts.Count);
        await using (var db = await contexts.CreateDbContextAsync())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var customers = await db.ReadCustomersForUpdateAsync(drafts.Select(d => d.UserId).Distinct().ToArray(), CancellationToken.None);
            var now = clock.GetUtcNow().UtcDateTime;
            // Another integration's customer is no customer: the draft is refused, and that customer's row is not written.
            Customer? CustomerOf(PurchaseDraft draft) =>
                customers.GetValueOrDefault(draft.UserId) is { } found && found.IntegrationId == draft.IntegrationId ? found : null;
            var cardCustomers = drafts.Where(d => d.Card).Select(CustomerOf).OfType<Customer>().Distinct().ToList();
            var useBefore = cardCustomers.Select(c => (c.CardUseQuarter, c.CardUseCents)).ToList();
            await CardLimit.BringUpToDateAsync(db, cardCustomers, now, CancellationToken.None);
            for (var i = 0; i < drafts.Count; i++)
            {
                var draft = drafts[i];
                var customer = CustomerOf(draft);
                outcomes[i] = draft.Decide(customer, now);
                if (outcomes[i].Payment is not { } payment)
                {
                    continue;
                }
                // The customer's use already holds the purchases of this batch decided before this one.
                if (draft.Card && !CardLimit.TryAdd(customer!, payment.FiatAmountCents, payment.CreatedAt, draft.LimitCents))
                {
                    outcomes[i] = draft.LimitRefusal();
                    continue;
                }
                created.Add(i);
            }
            // The purchases in one statement and the card use that changed in another, untracked: EF's change tracking
            // and command building for a batch was most of what a purchase allocated (docs/performance.md, "Tenth session").
            await InsertPurchasesAsync(db, drafts, outcomes, created, CustomerOf, now);
            await CardLimit.SaveUseAsync(db, cardCustomers.Where((c, i) => (c.CardUseQuarter, c.CardUseCents) != useBefore[i]).ToList(),
                CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        for (var i = 0; i < drafts.Count; i++)
        {
            drafts[i].TrySetResult(outcomes[i]);
        }
    }

    /// <summary>
    /// Stores the new purchases of the batch (<paramref name="created"/>: their drafts' indexes). A concept is nine
    /// random digits, so with many purchases stored one is taken now and then (at a million stored, one purchase in 900):
    /// that purchase alone is decided again, with a new id, concept and token, up to <see cref="ConceptDraws"/> times,
    /// rather than the whole batch failing and each of its purchases being created alone (docs/performance.md,
    /// "Thirteenth session"). Deciding again cannot change the answer or the amount: the rules read the customer as the
    /// batch locked it, and the card use already holds this purchase's amount; if it did, the batch fails.
    /// </summary>
    private static async Task InsertPurchasesAsync(AppDbContext db, List<PurchaseDraft> drafts, PurchaseOutcome[] outcomes, List<int> created,
        Func<PurchaseDraft, Customer?> customerOf, DateTime now)
    {
        var pending = created;
        for (var draw = 1; pending.Count > 0; draw++)
        {
            var taken = (await MultiRowInsert.InsertUnlessTakenAsync(db, pending.ConvertAll(i => outcomes[i].Payment!), nameof(Payment.Concept),
                CancellationToken.None)).ToHashSet();
            pending = pending.FindAll(i => taken.Contains(outcomes[i].Payment!));
            if (pending.Count > 0 && draw == ConceptDraws)
            {
                throw new InvalidOperationException($"The concepts of {pending.Count} purchase(s) were still taken after {draw} draws.");
            }
            foreach (var i in pending)
            {
                var before = outcomes[i].Payment!;
                outcomes[i] = drafts[i].Decide(customerOf(drafts[i]), now);
                if (outcomes[i].Payment is not { } again || again.FiatAmountCents != before.FiatAmountCents || again.PaymentType != before.PaymentType)
                {
                    throw new InvalidOperationException("A purchase decided again for a new concept was not the same purchase.");
                }
            }
        }
    }

    private void Fail(List<PurchaseDraft> drafts, Exception exception)
    {
        logger.LogInformation(exception, "A batch of {Count} purchases was not stored; each is created alone", drafts.Count);
        foreach (var draft in drafts)
        {
            draft.TrySetResult(null);
        }
    }
}
