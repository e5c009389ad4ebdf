using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Cryptopocket.Server.Features.Events;
using Cryptopocket.Server.Features.Payments;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Cryptopocket.Server.Tests.Settlement;

/// <summary>
/// Settlement a batch at a time on a real Hardhat node: a round signs, records and broadcasts many transfers at once,
/// each purchase exactly once with its own consecutive nonce, and a batch that loses one nonce to a racing instance
/// leaves nothing on chain.
/// </summary>
public sealed class SettlementBatchTests(ChainServer server, ITestOutputHelper output) : IClassFixture<ChainServer>
{
    /// <summary>Paid USDC purchases, each by its own approved customer to its own fresh wallet.</summary>
    private Task<List<(string Id, string Wallet)>> PaidPurchasesAsync(int count) => server.PaidPurchasesAsync(count, i => 10m + i % 50);

    private Task<BigInteger> PendingNonceAsync() => server.Chain.Node.TransactionCountAsync(server.Chain.HotWallet, "pending", CancellationToken.None);

    private async Task AssertDeliveredOnceEachAsync(IReadOnlyList<(string Id, string Wallet)> purchases)
    {
        var onChain = await server.Chain.TransfersFromHotWalletAsync();
        var ids = purchases.Select(p => p.Id).ToList();
        var rows = await server.TransfersOfAsync(ids);
        foreach (var (id, wallet) in purchases)
        {
            var delivered = Assert.Single(onChain, t => string.Equals(t.To, wallet, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(delivered.TxHash, Assert.Single(rows, r => r.PaymentId == id).MinedHash);
        }
        Assert.Equal(purchases.Count, await server.QueryAsync(db => db.OutboxEvents.CountAsync(e => ids.Contains(e.ResourceId) && e.Type == EventTypes.CoinsSent)));
        Assert.Equal(purchases.Count, await server.QueryAsync(db => db.LedgerEntries.Where(e => ids.Contains(e.PaymentId!) && e.PostingId.EndsWith(":coins_sent"))
            .Select(e => e.PostingId).Distinct().CountAsync()));
    }

    [Fact]
    public async Task ManyPurchasesAreSentInOneRoundEachOnceWithConsecutiveNonces()
    {
        const int Count = 25;
        var purchases = await PaidPurchasesAsync(Count);
        var ids = purchases.Select(p => p.Id).ToList();
        var before = await PendingNonceAsync();

        await server.RoundAsync();

        var transfers = await server.TransfersOfAsync(ids);
        Assert.Equal(Count, transfers.Count);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)before + i), transfers.Select(t => t.Nonce));
        Assert.All(transfers, t => Assert.Equal(ChainTransferStatuses.Broadcast, t.Status));
        Assert.Equal(before + Count, await PendingNonceAsync());

        await server.SettleAsync(ids);

        await AssertDeliveredOnceEachAsync(purchases);
        Assert.Equal(before + Count, await PendingNonceAsync());
    }

    /// <summary>
    /// One round both finishes the transfers the previous round sent and sends those paid since (on PostgreSQL side by
    /// side, each on its own database context): every purchase once on chain, once in the ledger, one event each.
    /// </summary>
    [Fact]
    public async Task ARoundFinishesTheLastRoundsTransfersAndSendsTheNewlyPaidOnesEachOnce()
    {
        var earlier = await PaidPurchasesAsync(30);
        var earlierIds = earlier.Select(p => p.Id).ToList();
        await server.RoundAsync();
        Assert.All(await server.TransfersOfAsync(earlierIds), t => Assert.Equal(ChainTransferStatuses.Broadcast, t.Status));
        var later = await PaidPurchasesAsync(30);
        var laterIds = later.Select(p => p.Id).ToList();

        // Mined at once, and one confirmation is what this chain's settings ask for: this round finishes the earlier ones.
        await server.RoundAsync();

        Assert.All(await server.TransfersOfAsync(earlierIds), t => Assert.Equal(ChainTransferStatuses.Confirmed, t.Status));
        Assert.Equal(earlierIds.Count, await server.QueryAsync(db => db.Payments.CountAsync(p => earlierIds.Contains(p.Id) && p.Status == PaymentStatuses.CoinsSent)));
        var sent = await server.TransfersOfAsync(laterIds);
        Assert.Equal(laterIds.Count, sent.Count);
        Assert.All(sent, t => Assert.Equal(ChainTransferStatuses.Broadcast, t.Status));
        await server.SettleAsync(laterIds);
        await AssertDeliveredOnceEachAsync([.. earlier, .. later]);
    }

    [Fact]
    public async Task ABatchThatLosesANonceToARacingInstanceBroadcastsNothingAndGoesOutNextRound()
    {
        var purchases = await PaidPurchasesAsync(3);
        var ids = purchases.Select(p => p.Id).ToList();
        // The racing instance's transfer needs a purchase of its own; this one is never paid, so never dispatched here.
        var kit = await PurchaseKit.CreateAsync(server);
        var theirs = await kit.CreateAsync(PurchaseKit.CardBody(await kit.ApprovedCustomerAsync(), 20m, type: "transfer"));
        var before = await PendingNonceAsync();
        var recorded = await server.QueryAsync(db => db.ChainTransfers.MaxAsync(t => (long?)t.Nonce));
        var second = (long)BigInteger.Max(before, (recorded ?? -1) + 1) + 1;
        var hotWallet = EvmAddress.ToChecksum(server.Chain.HotWallet);
        var registry = server.Services.GetRequiredService<ChainRegistry>();
        var endpoint = registry.Find("polygon")!;

        // While this round waits for its signatures, "another instance" records a transfer with the round's second nonce.
        await using (var signer = SignerInTheMiddle.Start(server.Chain.SignerUrl, () => server.QueryAsync(db =>
        {
            db.ChainTransfers.Add(new ChainTransfer
            {
                PaymentId = theirs, Chain = "polygon", ChainId = 31337, FromAddress = hotWallet, ToAddress = PurchaseKit.Wallet, Asset = "USDC",
                TokenContract = server.Chain.Usdc, AmountBaseUnits = "1", Nonce = second, Status = ChainTransferStatuses.Confirmed,
                TxHash = "0x" + new string('1', 64), RawTransaction = "0x02", MaxFeePerGas = "1", MaxPriorityFeePerGas = "1", GasLimit = 21_000,
                CreatedAt = DateTime.UtcNow,
            });
            return db.SaveChangesAsync();
        })))
        {
            registry.Register("polygon", Copy(endpoint, signer.Url));
            try
            {
                await server.RoundAsync();
            }
            finally
            {
                registry.Register("polygon", endpoint);
            }
            Assert.Equal(1, signer.Requests);
        }

        Assert.Empty(await server.TransfersOfAsync(ids));
        Assert.Equal(before, await PendingNonceAsync());
        var onChain = await server.Chain.TransfersFromHotWalletAsync();
        Assert.DoesNotContain(onChain, t => purchases.Any(p => string.Equals(p.Wallet, t.To, StringComparison.OrdinalIgnoreCase)));

        // The racer's record goes (its transaction never existed on this chain); the next rounds send all three, once.
        await server.QueryAsync(db => db.ChainTransfers.Where(t => t.PaymentId == theirs).ExecuteDeleteAsync());
        await server.SettleAsync(ids);
        await AssertDeliveredOnceEachAsync(purchases);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => (long)before + i), (await server.TransfersOfAsync(ids)).Select(t => t.Nonce));
    }

    [Fact]
    public async Task ASignerThatTakesNoBatchesSignsTheRoundOneCallAtATime()
    {
        var purchases = await PaidPurchasesAsync(3);
        var ids = purchases.Select(p => p.Id).ToList();
        var before = await PendingNonceAsync();
        var registry = server.Services.GetRequiredService<ChainRegistry>();
        var endpoint = registry.Find("polygon")!;

        await using (var signer = SignerInTheMiddle.Start(server.Chain.SignerUrl, () => Task.CompletedTask, refuseBatches: true))
        {
            registry.Register("polygon", Copy(endpoint, signer.Url));
            try
            {
                await server.RoundAsync();
            }
            finally
            {
                registry.Register("polygon", endpoint);
            }
            // The refused batch, then each transaction on its own.
            Assert.Equal(1 + 3, signer.Requests);
        }

        Assert.Equal(Enumerable.Range(0, 3).Select(i => (long)before + i), (await server.TransfersOfAsync(ids)).Select(t => t.Nonce));
        await server.SettleAsync(ids);
        await AssertDeliveredOnceEachAsync(purchases);
    }

    [Fact]
    public async Task RacingRoundsFinishABatchOfConfirmedPurchasesEachOnce()
    {
        const int Count = 30;
        var purchases = await PaidPurchasesAsync(Count);
        var ids = purchases.Select(p => p.Id).ToList();
        await server.RoundAsync();
        await server.Chain.Node.CallAsync("evm_mine", [], CancellationToken.None);

        // Three rounds at once all find the same thirty confirmed: one finishes them, the others must finish none twice.
        await Task.WhenAll(server.RoundAsync(), server.RoundAsync(), server.RoundAsync());
        await server.SettleAsync(ids);

        await AssertDeliveredOnceEachAsync(purchases);
    }

    /// <summary>Not a check: how long settling a hundred purchases takes here, driving rounds back to back.</summary>
    [Fact]
    public async Task SettlingAHundredPurchasesIsTimed()
    {
        const int Count = 100;
        var purchases = await PaidPurchasesAsync(Count);
        var ids = purchases.Select(p => p.Id).ToList();
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        while (await server.QueryAsync(db => db.Payments.CountAsync(p => ids.Contains(p.Id) && p.Status == PaymentStatuses.CoinsSent)) < Count)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "Not settled within two minutes.");
            await server.RoundAsync();
            rounds++;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Count} purchases paid → coins_sent in {clock.Elapsed.TotalMilliseconds:0} ms over {rounds} rounds: {Count / clock.Elapsed.TotalSeconds:0.0}/s"));
        await AssertDeliveredOnceEachAsync(purchases);
    }

    private static ChainEndpointOptions Copy(ChainEndpointOptions endpoint, string signerUrl) => new()
    {
        RpcUrl = endpoint.RpcUrl, SignerUrl = signerUrl, ChainId = endpoint.ChainId, HotWallet = endpoint.HotWallet, NativeSymbol = endpoint.NativeSymbol,
        Confirmations = endpoint.Confirmations, Tokens = endpoint.Tokens,
    };

    /// <summary>
    /// Forwards JSON-RPC to the real signer, running a step of the test's own before the first request goes through;
    /// with <c>refuseBatches</c> it answers a batch as a signer without batch support does, with one error.
    /// </summary>
    private sealed class SignerInTheMiddle : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly HttpClient _http = new();
        private readonly Task _serving;
        private int _requests;

        private readonly bool _refuseBatches;

        private SignerInTheMiddle(string signerUrl, Func<Task> beforeFirst, bool refuseBatches)
        {
            _refuseBatches = refuseBatches;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _serving = ServeAsync(new Uri(signerUrl), beforeFirst);
        }

        public string Url { get; }

        public int Requests => Volatile.Read(ref _requests);

        public static SignerInTheMiddle Start(string signerUrl, Func<Task> beforeFirst, bool refuseBatches = false) => new(signerUrl, beforeFirst, refuseBatches);

        private async Task ServeAsync(Uri signer, Func<Task> beforeFirst)
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                if (Interlocked.Increment(ref _requests) == 1)
                {
                    await beforeFirst();
                }
                string request;
                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    request = await reader.ReadToEndAsync();
                }
                context.Response.ContentType = "application/json";
                if (_refuseBatches && request.TrimStart().StartsWith('['))
                {
                    await using (var writer = new StreamWriter(context.Response.OutputStream))
                    {
                        await writer.WriteAsync("""{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch requests are not supported"}}""");
                    }
                    context.Response.Close();
                    continue;
                }
                using var body = new StringContent(request, System.Text.Encoding.UTF8, "application/json");
                using var answer = await _http.PostAsync(signer, body);
                context.Response.StatusCode = (int)answer.StatusCode;
                await answer.Content.CopyToAsync(context.Response.OutputStream);
                context.Response.Close();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving;
            _listener.Close();
            _http.Dispose();
        }
    }
}
