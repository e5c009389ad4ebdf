using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cryptopocket.Bench.Platform;

namespace Cryptopocket.Bench.Baselines;

/// <summary>What the node did with plain transfers: how many, how long from the first send to the last one mined.</summary>
public sealed record ChainBaselineResult(int Transfers, TimeSpan Elapsed, string Sender, string Token)
{
    public double TransfersPerSecond => Transfers / Elapsed.TotalSeconds;
}

/// <summary>
/// The chain's ceiling for settlement: N plain ERC-20 <c>transfer</c>s of the sandbox's USDC (polygon), each to a new
/// random holder as every purchase's wallet is, sent as fast as the node takes them from one of its own unlocked
/// development accounts (eth_sendTransaction; Hardhat automines each into its own block), timed from the first send
/// until every receipt shows success. The sender is funded with <c>cryptopocket chain faucet</c>; it is not the hot
/// wallet, whose nonces belong to settlement.
/// </summary>
public static class ChainBaseline
{
    /// <summary>Transfers in flight at once: enough to keep the node busy without its queue reordering nonces.</summary>
    private const int InFlight = 8;

    public static async Task<ChainBaselineResult> RunAsync(CryptopocketServer server, int transfers)
    {
        var status = (await server.RunAsync("chain", "status", "--json")).Json();
        var rpcUrl = new Uri(status.Text("rpc_url")!);
        var token = status.GetProperty("chains").GetProperty("polygon").GetProperty("tokens").GetProperty("USDC").Text("address")!;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = InFlight }) { Timeout = TimeSpan.FromSeconds(60) };
        var node = new JsonRpc(http, rpcUrl);
        var accounts = await node.CallAsync("eth_accounts");
        // The last development account: the first one is the faucet's and the token owner's.
        var sender = accounts[accounts.GetArrayLength() - 1].GetString()!;
        var funded = await server.RunAsync("chain", "faucet", "--address", sender, "--symbol", "USDC", "--amount", (transfers + 10).ToString(CultureInfo.InvariantCulture), "--json");
        funded.Json();

        var hashes = new string[transfers];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < transfers; i = Interlocked.Increment(ref next))
            {
                var recipient = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
                // transfer(address,uint256): selector a9059cbb, the address and 1 USDC (6 decimals) as 32-byte words.
                var data = "0xa9059cbb" + recipient.PadLeft(64, '0') + 1_000_000.ToString("x64", CultureInfo.InvariantCulture);
                var hash = await node.CallAsync("eth_sendTransaction",
                    new JsonObject { ["from"] = sender, ["to"] = token, ["data"] = data, ["gas"] = "0x30d40" });
                hashes[i] = hash.GetString()!;
            }
        }));
        var elapsed = clock.Elapsed;
        // Automining means each send returned after its block was mined, so the clock stops there. Every receipt is
        // then checked; one still missing (a node that queues instead) moves the end to when it appeared.
        var missing = false;
        foreach (var hash in hashes)
        {
            for (var first = true; ; first = false)
            {
                var receipt = await node.CallAsync("eth_getTransactionReceipt", hash);
                if (receipt.ValueKind == System.Text.Json.JsonValueKind.Object)
                {
                    if (receipt.Text("status") != "0x1")
                    {
                        throw new BenchFailedException($"Baseline transfer {hash} reverted: {receipt}");
                    }
                    missing |= !first;
                    break;
                }
                await Task.Delay(20);
            }
        }
        if (missing)
        {
            elapsed = clock.Elapsed;
        }
        return new ChainBaselineResult(transfers, elapsed, sender, token);
    }
}
