using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cryptopocket.Server.Tests.Payments;

/// <summary>
/// Purchases created together (PurchaseBatches): in one batch, each is decided against its own integration's customer,
/// the card limit is shared in arrival order, and a batch that cannot be stored stores nothing and hands every purchase
/// back to be created alone. "Blocker" drafts hold every drain while the drafts under test are queued, so those
/// are certain to share a batch.
/// </summary>
public sealed class PurchaseBatchesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private PurchaseBatches Batches => server.Services.GetRequiredService<PurchaseBatches>();

    private static PurchaseDraft Draft(int integrationId, long userId, Func<Customer?, DateTime, PurchaseOutcome> decide, long limitCents = long.MaxValue) =>
        new(integrationId, userId, card: true, limitCents, decide, () => PurchaseOutcome.Refused("limit_exceded"));

    /// <summary>A new purchase like the template, for <paramref name="cents"/>, with its own id, concept and token unless given.</summary>
    private static Payment Like(Payment template, long cents, long? concept = null, string? gatewayToken = null) => new()
    {
        Id = Secrets.PublicId(),
        IntegrationId = template.IntegrationId,
        CustomerId = template.CustomerId,
        PaymentType = template.PaymentType,
        FiatSymbol = template.FiatSymbol,
        FiatAmountCents = cents,
        CoinSymbol = template.CoinSymbol,
        Chain = template.Chain,
        CoinDecimals = template.CoinDecimals,
        CoinAmount = template.CoinAmount,
        Rate = template.Rate,
        Concept = concept ?? Random.Shared.NextInt64(1_000_000_000, 9_000_000_000),
        GatewayToken = gatewayToken ?? Guid.NewGuid().ToString(),
        CreatedAt = template.CreatedAt,
        ExpiresAt = template.ExpiresAt,
    };

    private async Task<(PurchaseKit Kit, long User, Payment Template)> PurchaseAsync()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var id = await kit.CreateAsync(PurchaseKit.CardBody(user, 10m));
        return (kit, user, await server.QueryAsync(db => db.Payments.AsNoTracking().SingleAsync(p => p.Id == id)));
    }

    /// <summary>Queues the drafts behind blockers that hold every drain, then lets go: the drafts form one batch.</summary>
    private async Task<PurchaseOutcome?[]> InOneBatchAsync(params PurchaseDraft[] drafts)
    {
        using var release = new ManualResetEventSlim();
        var blockers = new List<Task<PurchaseOutcome?>>();
        for (var i = 0; i < Batches.Drains; i++)
        {
            // One at a time: queued together, two blockers would share a batch and leave a drain free.
            var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            blockers.Add(Batches.CreateAsync(Draft(0, 0, (_, _) =>
            {
                entered.SetResult();
                release.Wait(TimeSpan.FromSeconds(30));
                return PurchaseOutcome.Refused("user_not_found");
            }), CancellationToken.None));
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        var outcomes = drafts.Select(d => Batches.CreateAsync(d, CancellationToken.None)).ToList();
        release.Set();
        await Task.WhenAll(blockers);
        return await Task.WhenAll(outcomes);
    }

    [Fact]
    public async Task EachDraftIsDecidedAgainstItsOwnIntegrationsCustomerAndTheBatchSharesTheCardLimitInArrivalOrder()
    {
        var (kit, user, template) = await PurchaseAsync();
        var stranger = await PurchaseKit.CreateAsync(server);
        var seen = new List<(int Draft, long? Customer)>();
        PurchaseDraft Buy(int n, int integrationId, long cents) => Draft(integrationId, user, (customer, _) =>
        {
            lock (seen)
            {
                seen.Add((n, customer?.Id));
            }
            return customer is null ? PurchaseOutcome.Refused("user_not_found") : new PurchaseOutcome(Like(template, cents), null);
        }, limitCents: 4_000); // the template's 10 EUR are used already: 30 EUR more fit, and the last draft reaches the limit exactly

        var outcomes = await InOneBatchAsync(
            Buy(0, kit.Credentials.Id, 1_000),
            Buy(1, kit.Credentials.Id, 1_500),
            Buy(2, stranger.Credentials.Id, 100),
            Buy(3, kit.Credentials.Id, 1_000),
            Buy(4, kit.Credentials.Id, 500));

        Assert.Equal([(0, user), (1, user), (2, null), (3, user), (4, user)], seen.OrderBy(s => s.Draft).Select(s => (s.Draft, s.Customer)));
        Assert.Equal(["ok", "ok", "user_not_found", "limit_exceded", "ok"],
            outcomes.Select(o => o!.Payment is not null ? "ok" : o.ErrorCode));
        var stored = await server.QueryAsync(db => db.Payments.AsNoTracking().Where(p => p.CustomerId == user).OrderBy(p => p.FiatAmountCents).Select(p => p.FiatAmountCents).ToListAsync());
        Assert.Equal([500, 1_000, 1_000, 1_500], stored);
    }

    [Fact]
    public async Task ABatchThatCannotBeStoredStoresNothingAndHandsEachPurchaseBackToBeCreatedAlone()
    {
        var (kit, user, template) = await PurchaseAsync();
        var fine = Like(template, 1_000);
        var clashing = Like(template, 1_000, gatewayToken: template.GatewayToken);

        var outcomes = await InOneBatchAsync(
            Draft(kit.Credentials.Id, user, (_, _) => new PurchaseOutcome(fine, null)),
            Draft(kit.Credentials.Id, user, (_, _) => new PurchaseOutcome(clashing, null)));

        Assert.All(outcomes, Assert.Null);
        Assert.Equal([template.Id], await server.QueryAsync(db => db.Payments.AsNoTracking().Where(p => p.CustomerId == user).Select(p => p.Id).ToListAsync()));
    }

    [Fact]
    public async Task APurchaseWhoseConceptIsTakenIsDecidedAgainAndTheRestOfTheBatchIsStoredWithIt()
    {
        var (kit, user, template) = await PurchaseAsync();
        var fine = Like(template, 1_000);
        var twin = Like(template, 1_000); // its concept is also given to the next purchase of the batch
        // Each of these is first decided with a concept already taken (by a stored purchase, by an earlier purchase of
        // the batch), then with a new one.
        var decided = new Dictionary<string, List<Payment>> { ["stored"] = [], ["batch"] = [] };
        PurchaseDraft TakenOnce(string by, long concept) => Draft(kit.Credentials.Id, user, (_, _) =>
        {
            var payment = Like(template, 1_000, concept: decided[by].Count == 0 ? concept : null);
            decided[by].Add(payment);
            return new PurchaseOutcome(payment, null);
        });

        var outcomes = await InOneBatchAsync(
            Draft(kit.Credentials.Id, user, (_, _) => new PurchaseOutcome(fine, null)),
            TakenOnce("stored", template.Concept),
            Draft(kit.Credentials.Id, user, (_, _) => new PurchaseOutcome(twin, null)),
            TakenOnce("batch", twin.Concept));

        Assert.Equal(2, decided["stored"].Count);
        Assert.Equal(2, decided["batch"].Count);
        Assert.Equal([fine.Id, decided["stored"][1].Id, twin.Id, decided["batch"][1].Id], outcomes.Select(o => o!.Payment!.Id));
        var stored = await server.QueryAsync(db => db.Payments.AsNoTracking().Where(p => p.CustomerId == user).ToListAsync());
        Assert.Equal(new[] { template.Id, fine.Id, decided["stored"][1].Id, twin.Id, decided["batch"][1].Id }.Order(StringComparer.Ordinal),
            stored.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(5, stored.Select(p => p.Concept).Distinct().Count());
        // The card use counts each stored purchase once: the template's 10 EUR and four of 10 EUR.
        var customer = await server.QueryAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Id == user));
        Assert.Equal(5_000, customer.CardUseCents);
    }

    [Fact]
    public async Task AConceptStillTakenAfterEveryDrawStoresNothingAndHandsEachPurchaseBackToBeCreatedAlone()
    {
        var (kit, user, template) = await PurchaseAsync();
        var draws = 0;

        var outcomes = await InOneBatchAsync(
            Draft(kit.Credentials.Id, user, (_, _) => new PurchaseOutcome(Like(template, 1_000), null)),
            Draft(kit.Credentials.Id, user, (_, _) =>
            {
                draws++;
                return new PurchaseOutcome(Like(template, 1_000, concept: template.Concept), null);
            }));

        Assert.All(outcomes, Assert.Null);
        Assert.Equal(3, draws);
        Assert.Equal([template.Id], await server.QueryAsync(db => db.Payments.AsNoTracking().Where(p => p.CustomerId == user).Select(p => p.Id).ToListAsync()));
    }

    [Fact]
    public async Task PurchasesThroughTheApiThatShareABatchAreEachStoredOnceWithTheirOwnConcept()
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var users = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            users.Add(await kit.ApprovedCustomerAsync());
        }

        var ids = await Task.WhenAll(Enumerable.Range(0, 48).Select(i => kit.CreateAsync(PurchaseKit.CardBody(users[i % 6], 10m + i))));

        var stored = await server.QueryAsync(db => db.Payments.AsNoTracking().Where(p => p.IntegrationId == kit.Credentials.Id).ToListAsync());
        Assert.Equal(ids.Order(StringComparer.Ordinal), stored.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(48, stored.Select(p => p.Concept).Distinct().Count());
        Assert.All(stored, p => Assert.Equal(users[(int)(p.FiatAmountCents / 100 - 10) % 6], p.CustomerId));
    }
}
