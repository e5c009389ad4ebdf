using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Features.Settlement.Sandbox;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Settlement;

/// <summary>One sandbox chain for the class: a test class's own IAsyncLifetime would start a node for every test.</summary>
public sealed class EvmReadChain : IAsyncLifetime
{
    public LocalChain Chain { get; private set; } = null!;

    public async Task InitializeAsync() => Chain = await LocalChain.StartAsync(usdcFloat: 1_234.5m, ethFloat: 7m);

    public async Task DisposeAsync() => await Chain.DisposeAsync();
}

/// <summary>The reads settlement makes in one JSON-RPC batch answer what the same reads made one request each answer.</summary>
public sealed class EvmBatchedReadTests(EvmReadChain fixture) : IClassFixture<EvmReadChain>
{
    private LocalChain Chain => fixture.Chain;

    [Fact]
    public async Task ASendersStateInOneBatchIsWhatTheSingleReadsSay()
    {
        var node = Chain.Node;
        var stranger = ChainServer.RandomWallet();

        // The sandbox chain makes an empty block every second, which moves the base fee: the two reads are compared
        // only when no block came between them.
        SenderState? state = null;
        (BigInteger MaxFee, BigInteger Priority) single = default;
        for (var attempt = 0; attempt < 20 && state is null; attempt++)
        {
            var head = await node.BlockNumberAsync(CancellationToken.None);
            var read = await node.SenderStateAsync(Chain.HotWallet, [Chain.Usdc, stranger], CancellationToken.None);
            single = await node.SuggestFeesAsync(CancellationToken.None);
            state = await node.BlockNumberAsync(CancellationToken.None) == head ? read : null;
        }

        Assert.NotNull(state);
        Assert.Equal(single, (state.MaxFee, state.Priority));
        Assert.Equal(await node.TransactionCountAsync(Chain.HotWallet, "pending", CancellationToken.None), state.PendingNonce);
        Assert.Equal(await node.BalanceAsync(Chain.HotWallet, CancellationToken.None), state.NativeBalance);
        Assert.Equal(new BigInteger(1_234_500_000), state.TokenBalances[Chain.Usdc]);
        // No contract at the address: the call answers "0x", a balance of nothing.
        Assert.Equal(BigInteger.Zero, state.TokenBalances[stranger]);
    }

    [Fact]
    public async Task TheHeadComesWithTheReceiptsAndAnUnknownHashHasNone()
    {
        var mined = await SandboxChainHost.SendAndWaitAsync(Chain.Node, new JsonObject
        {
            ["from"] = Chain.Faucet, ["to"] = ChainServer.RandomWallet(), ["value"] = Hex.Quantity(1),
        }, contract: false, CancellationToken.None);
        var unknown = "0x" + new string('7', 64);

        var (head, receipts) = await Chain.Node.HeadAndReceiptsAsync([mined, unknown], CancellationToken.None);

        Assert.Equal(2, receipts.Count);
        var receipt = receipts[0]!;
        Assert.Equal(mined, receipt.TransactionHash);
        Assert.True(receipt.Succeeded);
        Assert.InRange(head, receipt.BlockNumber, await Chain.Node.BlockNumberAsync(CancellationToken.None));
        Assert.Null(receipts[1]);
    }

    [Fact]
    public async Task ANodeWithoutAPriorityFeeSuggestionGetsOneGweiAsWithTheSingleRead()
    {
        using var http = new HttpClient(new NodeWithoutPriorityFee());
        var node = new EvmRpcClient(http, new Uri("http://127.0.0.1:1/"));

        var state = await node.SenderStateAsync("0x00000000000000000000000000000000000000aa", [], CancellationToken.None);

        Assert.Equal(new BigInteger(5), state.PendingNonce);
        Assert.Equal(new BigInteger(1_000_000_000), state.Priority);
        Assert.Equal(await node.SuggestFeesAsync(CancellationToken.None), (state.MaxFee, state.Priority));
        Assert.Equal(2 * new BigInteger(0x3b9aca00) + 1_000_000_000, state.MaxFee);
        Assert.Equal(new BigInteger(0x10), state.NativeBalance);
    }

    /// <summary>
    /// A node (over HttpClient, as a real one is reached) that knows the other calls a sender's state needs but not
    /// <c>eth_maxPriorityFeePerGas</c>, as some nodes do not; it answers single calls and batches.
    /// </summary>
    private sealed class NodeWithoutPriorityFee : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            var answer = body is JsonArray calls ? new JsonArray([.. calls.Select(c => Answer(c!))]) : Answer(body);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/json") };
        }

        private static JsonNode Answer(JsonNode call)
        {
            var id = call["id"]!.GetValue<long>();
            JsonNode? result = call["method"]!.GetValue<string>() switch
            {
                "eth_getTransactionCount" => "0x5",
                "eth_getBlockByNumber" => new JsonObject { ["number"] = "0x9", ["baseFeePerGas"] = "0x3b9aca00" },
                "eth_getBalance" => "0x10",
                _ => null,
            };
            return result is null
                ? new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = -32601, ["message"] = "Method not found" } }
                : new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result };
        }
    }
}
