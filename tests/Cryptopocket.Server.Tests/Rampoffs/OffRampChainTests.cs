using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Ledger;
using Cryptopocket.Server.Features.Rampoffs;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Features.Settlement.Sandbox;
using Cryptopocket.Server.Tests.Infrastructure;
using Cryptopocket.Server.Tests.Payouts;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Rampoffs;

/// <summary>
/// A server whose off-ramp watches a real local chain: the project's deposit factory (treasury = hot wallet), a
/// sweeper account in the signer, USDC and a second token (USDT). Background rounds are off; each test drives them.
/// </summary>
public sealed class OffRampChainServer : ServerFixture
{
    public LocalChain Chain { get; private set; } = null!;
    public string Factory { get; private set; } = "";
    public string Usdt { get; private set; } = "";

    /// <summary>The customer's own wallet: a development account of the node, which signs eth_sendTransaction itself.</summary>
    public string CustomerWallet { get; private set; } = "";

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => base.Overrides.Concat(Chain.SettlementConfiguration()).Concat(
    [
        new("Settlement:Enabled", "false"),
        new("Settlement:Chains:polygon:DepositFactory", Factory),
        new("Settlement:Chains:polygon:SweepWallet", Chain.Sweeper),
        new("Settlement:Chains:polygon:Treasury", Chain.HotWallet),
        new("Settlement:Chains:polygon:Tokens:USDT", Usdt),
        new("Rampoffs:SandboxPayoutDelay", "00:00:00"),
        new("Rampoffs:PayoutRail", "sandbox"),
    ]);

    public override async Task InitializeAsync()
    {
        Chain = await LocalChain.StartAsync(usdcFloat: 1_000m, withSweeper: true);
        Factory = await Chain.DeployDepositFactoryAsync(Chain.HotWallet);
        Usdt = await SandboxChainHost.DeployAsync(Chain.Node, Chain.Faucet, LocalChain.ChainDirectory, "TestToken", Erc20.EncodeTokenConstructor("Tether USD", "USDT", 6),
            CancellationToken.None);
        CustomerWallet = (await Chain.Node.CallAsync("eth_accounts", [], CancellationToken.None))[1].GetString()!;
        await Chain.MintUsdcAsync(CustomerWallet, 100_000m);
        await SandboxChainHost.SendAndWaitAsync(Chain.Node, new JsonObject
        {
            ["from"] = Chain.Faucet, ["to"] = Usdt, ["data"] = Erc20.EncodeMint(CustomerWallet, BaseUnits.From(10_000m, 6)),
        }, contract: false, CancellationToken.None);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Chain.DisposeAsync();
    }

    public async Task RoundAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await DepositWatcher.ChainRoundAsync(scope.ServiceProvider, "polygon", CancellationToken.None);
    }

    /// <summary>The customer sends a token from their own wallet with eth_sendTransaction, as a wallet app would.</summary>
    public Task SendTokenAsync(string token, string to, decimal amount) =>
        SandboxChainHost.SendAndWaitAsync(Chain.Node, new JsonObject
        {
            ["from"] = CustomerWallet, ["to"] = token, ["data"] = Erc20.EncodeTransfer(to, BaseUnits.From(amount, 6)),
        }, contract: false, CancellationToken.None);

    public Task SendNativeAsync(string to, decimal amount) =>
        SandboxChainHost.SendAndWaitAsync(Chain.Node, new JsonObject
        {
            ["from"] = CustomerWallet, ["to"] = to, ["value"] = Hex.Quantity(BaseUnits.From(amount, 18)),
        }, contract: false, CancellationToken.None);
}

/// <summary>
/// Deposits found on a real chain and what each kind leads to (docs/api.md, "Deposits"): exact, short then topped up,
/// over, late, another coin, the native coin, short at the deadline, too small at the deadline; then the sweep to the
/// treasury and the payout. Balances are read from the chain itself, and the ledger must add up.
/// </summary>
public sealed class OffRampChainTests(OffRampChainServer server) : IClassFixture<OffRampChainServer>
{
    private async Task<(PurchaseKit Kit, string Id, string Wallet)> CreateAsync(decimal amount = 100m, string symbol = "USDC")
    {
        var kit = await PurchaseKit.CreateAsync(server);
        var user = await kit.ApprovedCustomerAsync();
        var data = (await kit.PostAsync("/api/createRampoff", new Dictionary<string, object?>
        {
            ["user_id"] = user, ["amount"] = amount, ["blockchain"] = "polygon", ["symbol"] = symbol, ["iban"] = "ES9121000418450200051332",
        })).GetProperty("data");
        return (kit, data.GetProperty("id").GetString()!, data.GetProperty("wallet").GetString()!);
    }

    private static async Task<JsonElement> DetailAsync(PurchaseKit kit, string id) =>
        (await (await kit.Http.GetAsync($"/api/getRampoff?id={id}")).JsonAsync()).GetProperty("data");

    private async Task<Rampoff> StateAsync(string id) => await server.QueryAsync(db => db.Rampoffs.AsNoTracking().SingleAsync(r => r.Id == id));

    private async Task RoundsUntilAsync(Func<Task<bool>> done, string what)
    {
        for (var round = 0; round < 30; round++)
        {
            await server.RoundAsync();
            if (await done())
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"Not reached within 30 rounds: {what}");
    }

    private Task WaitForStatusAsync(string id, string status) =>
        RoundsUntilAsync(async () => (await StateAsync(id)).Status == status, $"{id} {status}");

    private Task<List<RampoffDeposit>> DepositsAsync(string id) =>
        server.QueryAsync(db => db.RampoffDeposits.AsNoTracking().Where(d => d.RampoffId == id).OrderBy(d => d.Id).ToListAsync());

    private Task<List<string>> EventsAsync(string id) =>
        server.QueryAsync(db => db.OutboxEvents.AsNoTracking().Where(e => e.ResourceId == id).OrderBy(e => e.Sequence).Select(e => e.Type).ToListAsync());

    private Task<decimal> BalanceAsync(string account, string asset, string? rampoffId = null) => server.QueryAsync(async db =>
    {
        var lines = await db.LedgerEntries.AsNoTracking().Where(e => e.Account == account && e.Asset == asset && (rampoffId == null || e.PaymentId == rampoffId))
            .Select(e => e.Amount).ToListAsync();
        return lines.Sum();
    });

    private Task ExpireDepositWindowAsync(string id) => server.QueryAsync(db =>
        db.Rampoffs.Where(r => r.Id == id).ExecuteUpdateAsync(r => r.SetProperty(x => x.DepositDeadline, DateTime.UtcNow.AddHours(-1))));

    private async Task<BigInteger> TokenBalanceAsync(string token, string owner) =>
        await server.Chain.Node.TokenBalanceAsync(token, owner, CancellationToken.None);

    [Fact]
    public async Task AnExactDepositIsReceivedSweptToTheTreasuryAndPaidOut()
    {
        var (kit, id, wallet) = await CreateAsync(100m);
        var treasuryBefore = await TokenBalanceAsync(server.Chain.Usdc, server.Chain.HotWallet);

        await server.SendTokenAsync(server.Chain.Usdc, wallet, 100m);
        await WaitForStatusAsync(id, RampoffStatuses.CryptoReceived);

        var detail = await DetailAsync(kit, id);
        Assert.Equal("crypto_received", detail.GetProperty("status").GetString());
        Assert.Equal("100000000", detail.GetProperty("received_amount").GetString());
        Assert.Equal("90.98", detail.GetProperty("fiat_amount").GetString());
        var deposit = Assert.Single(await DepositsAsync(id));
        Assert.Equal(DepositDispositions.Credited, deposit.Disposition);
        Assert.Equal(server.CustomerWallet, deposit.FromAddress, ignoreCase: true);
        Assert.Equal([EventTypes.CryptoReceived], await EventsAsync(id));

        // The sweep: the forwarder is deployed at the deposit address and everything moves to the treasury.
        await RoundsUntilAsync(async () => await server.QueryAsync(db => db.DepositSweeps.AnyAsync(s => s.DepositAddress == wallet && s.Status == SweepStatuses.Confirmed)), "sweep confirmed");
        Assert.Equal(BigInteger.Zero, await TokenBalanceAsync(server.Chain.Usdc, wallet));
        Assert.Equal(treasuryBefore + 100_000_000, await TokenBalanceAsync(server.Chain.Usdc, server.Chain.HotWallet));
        var code = (await server.Chain.Node.CallAsync("eth_getCode", [wallet, "latest"], CancellationToken.None)).GetString();
        Assert.NotEqual("0x", code);

        // The sandbox bank pays the IBAN.
        await server.WithServiceAsync<int, PayoutService>(p => p.CompleteSandboxPayoutsAsync(CancellationToken.None));
        detail = await DetailAsync(kit, id);
        Assert.Equal("finished", detail.GetProperty("status").GetString());
        Assert.Equal([EventTypes.CryptoReceived, EventTypes.TransferRampoffFinished], await EventsAsync(id));
        Assert.Equal(0m, await BalanceAsync(LedgerAccounts.FiatOwedToCustomers, "EUR", id));
        Assert.Equal(-90.98m, await BalanceAsync(LedgerAccounts.PayoutBank, "EUR", id));
        Assert.Equal(0m, await BalanceAsync(LedgerAccounts.DepositsPending, "USDC", id));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task AShortDepositWaitsAndATopUpCompletesItOnce()
    {
        var (kit, id, wallet) = await CreateAsync(100m);

        await server.SendTokenAsync(server.Chain.Usdc, wallet, 40m);
        await RoundsUntilAsync(async () => (await DepositsAsync(id)).Count == 1, "first deposit");
        Assert.Equal("waiting_crypto", (await DetailAsync(kit, id)).GetProperty("status").GetString());
        Assert.Equal("40000000", (await DetailAsync(kit, id)).GetProperty("received_amount").GetString());

        await server.SendTokenAsync(server.Chain.Usdc, wallet, 60m);
        await WaitForStatusAsync(id, RampoffStatuses.CryptoReceived);

        Assert.Equal(2, (await DepositsAsync(id)).Count(d => d.Disposition == DepositDispositions.Credited));
        Assert.Equal("90.98", (await DetailAsync(kit, id)).GetProperty("fiat_amount").GetString());
        Assert.Equal([EventTypes.CryptoReceived], await EventsAsync(id));
    }

    [Fact]
    public async Task AnOverDepositConvertsTheAmountAskedAndHoldsTheExcess()
    {
        var (kit, id, wallet) = await CreateAsync(100m);

        await server.SendTokenAsync(server.Chain.Usdc, wallet, 150m);
        await WaitForStatusAsync(id, RampoffStatuses.CryptoReceived);

        Assert.Equal("90.98", (await DetailAsync(kit, id)).GetProperty("fiat_amount").GetString());
        Assert.Equal("150000000", (await DetailAsync(kit, id)).GetProperty("received_amount").GetString());
        Assert.Equal(-50m, await BalanceAsync(LedgerAccounts.DepositsHeld, "USDC", id));
        Assert.Equal(-100m, await BalanceAsync(LedgerAccounts.Trading, "USDC", id));
    }

    [Fact]
    public async Task AnotherCoinIsHeldAndTheOperationKeepsWaiting()
    {
        var (kit, id, wallet) = await CreateAsync(100m);

        await server.SendTokenAsync(server.Usdt, wallet, 100m);
        await RoundsUntilAsync(async () => (await DepositsAsync(id)).Count == 1, "USDT deposit");

        var deposit = Assert.Single(await DepositsAsync(id));
        Assert.Equal(DepositDispositions.Held, deposit.Disposition);
        Assert.Equal("wrong_asset", deposit.HeldReason);
        Assert.Equal("USDT", deposit.Asset);
        Assert.Equal("waiting_crypto", (await DetailAsync(kit, id)).GetProperty("status").GetString());
        Assert.Equal(-100m, await BalanceAsync(LedgerAccounts.DepositsHeld, "USDT", id));
        // Held coins are swept too: nothing stays at an address the platform does not watch forever.
        await RoundsUntilAsync(async () => await TokenBalanceAsync(server.Usdt, wallet) == 0, "USDT swept");
    }

    [Fact]
    public async Task NothingByTheDeadlineExpiresAndALateDepositIsHeld()
    {
        var (kit, id, wallet) = await CreateAsync(100m);
        await ExpireDepositWindowAsync(id);

        await WaitForStatusAsync(id, RampoffStatuses.Expired);
        await server.SendTokenAsync(server.Chain.Usdc, wallet, 100m);
        await RoundsUntilAsync(async () => (await DepositsAsync(id)).Count == 1, "late deposit");

        Assert.Equal("expired", (await DetailAsync(kit, id)).GetProperty("status").GetString());
        var deposit = Assert.Single(await DepositsAsync(id));
        Assert.Equal("late", deposit.HeldReason);
        Assert.Equal([EventTypes.RampoffFailed], await EventsAsync(id));
    }

    [Fact]
    public async Task AShortDepositAtTheDeadlineIsPaidForWhatArrivedAtTheLockedRate()
    {
        var (kit, id, wallet) = await CreateAsync(100m);
        await server.SendTokenAsync(server.Chain.Usdc, wallet, 50m);
        await RoundsUntilAsync(async () => (await DepositsAsync(id)).Count == 1, "deposit");

        await ExpireDepositWindowAsync(id);
        await WaitForStatusAsync(id, RampoffStatuses.CryptoReceived);

        // 50 × 0.92 = 46.00 gross; 0.46 processing, 0.10 network: 45.44.
        Assert.Equal("45.44", (await DetailAsync(kit, id)).GetProperty("fiat_amount").GetString());
        Assert.Equal(-45.44m, await BalanceAsync(LedgerAccounts.FiatOwedToCustomers, "EUR", id));
    }

    [Fact]
    public async Task TooLittleAtTheDeadlineIsRejectedAndHeld()
    {
        var (kit, id, wallet) = await CreateAsync(100m);
        await server.SendTokenAsync(server.Chain.Usdc, wallet, 1m);
        await RoundsUntilAsync(async () => (await DepositsAsync(id)).Count == 1, "deposit");

        await ExpireDepositWindowAsync(id);
        await WaitForStatusAsync(id, RampoffStatuses.Rejected);

        Assert.Equal("deposit_below_minimum", (await DetailAsync(kit, id)).GetProperty("failure_reason").GetString());
        Assert.Equal(-1m, await BalanceAsync(LedgerAccounts.DepositsHeld, "USDC", id));
        Assert.Equal(0m, await BalanceAsync(LedgerAccounts.DepositsPending, "USDC", id));
    }

    [Fact]
    public async Task TheChainsNativeCoinIsDetectedFromTheTransactionsValue()
    {
        var (kit, id, wallet) = await CreateAsync(100m, symbol: "POL");

        await server.SendNativeAsync(wallet, 100m);
        await WaitForStatusAsync(id, RampoffStatuses.CryptoReceived);

        var deposit = Assert.Single(await DepositsAsync(id));
        Assert.Equal(-1, deposit.LogIndex);
        Assert.Null(deposit.TokenContract);
        Assert.Equal("100000000000000000000", (await DetailAsync(kit, id)).GetProperty("amount").GetString());
        await RoundsUntilAsync(async () => await server.Chain.Node.BalanceAsync(wallet, CancellationToken.None) == 0, "native swept");
    }

    [Fact]
    public async Task ReadingTheSameBlocksAgainOrTwoWatchersAtOnceCountNothingTwice()
    {
        var (_, id, wallet) = await CreateAsync(100m);
        await server.SendTokenAsync(server.Chain.Usdc, wallet, 30m);
        await server.SendTokenAsync(server.Chain.Usdc, wallet, 30m);

        await Task.WhenAll(server.RoundAsync(), server.RoundAsync(), server.RoundAsync());
        await RoundsUntilAsync(async () => (await DepositsAsync(id)).Count == 2, "two deposits");
        await server.QueryAsync(db => db.ChainScanCursors.ExecuteUpdateAsync(c => c.SetProperty(x => x.LastBlock, -1L)));
        await server.RoundAsync();
        await server.RoundAsync();

        Assert.Equal(2, (await DepositsAsync(id)).Count);
        Assert.Equal(60m, (await StateAsync(id)).ReceivedAmount);
        Assert.Equal(-60m, await BalanceAsync(LedgerAccounts.DepositsPending, "USDC", id));
    }

    [Fact]
    public async Task ThePayoutFileValidatesAndConfirmingItFinishesEachPayoutOnce()
    {
        var (kit, id, wallet) = await CreateAsync(100m);
        await server.SendTokenAsync(server.Chain.Usdc, wallet, 100m);
        await WaitForStatusAsync(id, RampoffStatuses.CryptoReceived);

        var exported = await server.WithServiceAsync<ExportedBatch?, PayoutService>(p => p.ExportAsync(null, CancellationToken.None));

        Assert.NotNull(exported);
        Assert.Empty(Pain001Schema.Errors(exported.Xml));
        Assert.Contains($"<EndToEndId>{id}</EndToEndId>", exported.Xml);
        Assert.Equal("payout_sent", (await DetailAsync(kit, id)).GetProperty("status").GetString());
        // Nothing owed is left: a second export has nothing to put in a file.
        Assert.Null(await server.WithServiceAsync<ExportedBatch?, PayoutService>(p => p.ExportAsync(null, CancellationToken.None)));
        var again = await server.WithServiceAsync<ExportedBatch?, PayoutService>(p => p.RewriteAsync(exported.Batch.Id, CancellationToken.None));
        Assert.Equal(exported.Xml, again!.Xml);

        var confirmed = await server.WithServiceAsync<int?, PayoutService>(p => p.ConfirmBatchAsync(exported.Batch.Id, CancellationToken.None));
        var twice = await server.WithServiceAsync<int?, PayoutService>(p => p.ConfirmBatchAsync(exported.Batch.Id, CancellationToken.None));

        Assert.True(confirmed >= 1);
        Assert.Equal(0, twice);
        Assert.Equal("finished", (await DetailAsync(kit, id)).GetProperty("status").GetString());
        Assert.Single(await EventsAsync(id), EventTypes.TransferRampoffFinished);
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task AReturnedPayoutIsOwedAgainAndGoesIntoTheNextFile()
    {
        var (kit, id, wallet) = await CreateAsync(100m);
        await server.SendTokenAsync(server.Chain.Usdc, wallet, 100m);
        await WaitForStatusAsync(id, RampoffStatuses.CryptoReceived);
        var first = await server.WithServiceAsync<ExportedBatch?, PayoutService>(p => p.ExportAsync(null, CancellationToken.None));

        Assert.True(await server.WithServiceAsync<bool, PayoutService>(p => p.ReopenAsync(id, "payout_returned", CancellationToken.None)));
        var reopened = await DetailAsync(kit, id);
        Assert.Equal("crypto_received", reopened.GetProperty("status").GetString());
        Assert.Equal("payout_returned", reopened.GetProperty("failure_reason").GetString());
        Assert.False(await server.WithServiceAsync<bool, PayoutService>(p => p.ReopenAsync(id, "again", CancellationToken.None)));

        var second = await server.WithServiceAsync<ExportedBatch?, PayoutService>(p => p.ExportAsync(null, CancellationToken.None));
        Assert.NotEqual(first!.Batch.Id, second!.Batch.Id);
        Assert.Contains($"<EndToEndId>{id}</EndToEndId>", second.Xml);
        // Confirming the first file no longer touches it: it is in the second one now.
        await server.WithServiceAsync<int?, PayoutService>(p => p.ConfirmBatchAsync(first.Batch.Id, CancellationToken.None));
        Assert.Equal("payout_sent", (await DetailAsync(kit, id)).GetProperty("status").GetString());
        await server.WithServiceAsync<int?, PayoutService>(p => p.ConfirmBatchAsync(second.Batch.Id, CancellationToken.None));
        var paid = await DetailAsync(kit, id);
        Assert.Equal("finished", paid.GetProperty("status").GetString());
        Assert.False(paid.TryGetProperty("failure_reason", out var reason) && reason.ValueKind == System.Text.Json.JsonValueKind.String);
        Assert.Equal(-90.98m, await BalanceAsync(LedgerAccounts.PayoutBank, "EUR", id));
    }

    /// <summary>Every posting balances per asset, and no account is used with two different signs of nonsense.</summary>
    private async Task AssertLedgerBalancesAsync()
    {
        var lines = await server.QueryAsync(db => db.LedgerEntries.AsNoTracking().Select(e => new { e.PostingId, e.Asset, e.Amount }).ToListAsync());
        var unbalanced = lines.GroupBy(l => (l.PostingId, l.Asset)).Where(g => g.Sum(l => l.Amount) != 0).Select(g => g.Key).ToList();
        Assert.Empty(unbalanced);
    }
}
