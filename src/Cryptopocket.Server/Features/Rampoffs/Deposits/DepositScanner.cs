using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement.Evm;

namespace Cryptopocket.Server.Features.Rampoffs.Deposits;

/// <summary>
/// Finds transfers into watched deposit addresses within a block range: ERC-20 transfers from the tokens' Transfer logs,
/// native-coin transfers from the blocks' transactions. Stateless; the caller chooses the range (usually up to the
/// confirmed head) and remembers how far it got.
/// </summary>
public static class DepositScanner
{
    /// <summary>Watched addresses per eth_getLogs call: topic OR-lists this long are accepted by common node providers.</summary>
    public const int AddressesPerQuery = 200;

    /// <summary>Blocks per eth_getLogs call: many providers refuse wider spans (or cap the answer's size).</summary>
    public const int BlocksPerQuery = 1000;

    public static async Task<IReadOnlyList<ObservedDeposit>> ScanAsync(EvmRpcClient node, long fromBlock, long toBlock,
        IReadOnlyCollection<string> tokenContracts, IReadOnlyCollection<string> watchedAddresses, bool includeNative, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(tokenContracts);
        ArgumentNullException.ThrowIfNull(watchedAddresses);
        ArgumentOutOfRangeException.ThrowIfNegative(fromBlock);
        // Lower-case hex everywhere inside: nodes answer in either case, and EIP-55 is only for what leaves this class.
        var watched = watchedAddresses.Select(Lower).ToHashSet(StringComparer.Ordinal);
        var tokens = tokenContracts.Select(Lower).Distinct(StringComparer.Ordinal).ToList();
        var found = new List<ObservedDeposit>();
        if (watched.Count == 0 || fromBlock > toBlock)
        {
            return found;
        }
        if (tokens.Count > 0)
        {
            foreach (var chunk in watched.Order(StringComparer.Ordinal).Chunk(AddressesPerQuery))
            {
                for (var start = fromBlock; start <= toBlock; start += BlocksPerQuery)
                {
                    var end = Math.Min(toBlock, start + BlocksPerQuery - 1);
                    found.AddRange(await TokenDepositsAsync(node, start, end, tokens, chunk, watched, cancellationToken));
                }
            }
        }
        if (includeNative)
        {
            for (var block = fromBlock; block <= toBlock; block++)
            {
                found.AddRange(await NativeDepositsAsync(node, block, watched, cancellationToken));
            }
        }
        // OrderBy is stable: native transfers (LogIndex -1) keep their order within the block.
        return [.. found.OrderBy(d => d.BlockNumber).ThenBy(d => d.LogIndex)];
    }

    private static async Task<IEnumerable<ObservedDeposit>> TokenDepositsAsync(EvmRpcClient node, long fromBlock, long toBlock,
        List<string> tokens, string[] recipients, HashSet<string> watched, CancellationToken cancellationToken)
    {
        var filter = new JsonObject
        {
            ["fromBlock"] = Hex.Quantity(fromBlock),
            ["toBlock"] = Hex.Quantity(toBlock),
            ["address"] = new JsonArray([.. tokens.Select(t => (JsonNode)t)]),
            // [event, any sender, one of the recipients]: topic positions are ANDed, the entries of a list ORed.
            ["topics"] = new JsonArray(Erc20.TransferTopic, null, new JsonArray([.. recipients.Select(r => (JsonNode)Topic(r))])),
        };
        var logs = await node.GetLogsAsync(filter, cancellationToken);
        var tokenSet = tokens.ToHashSet(StringComparer.Ordinal);
        var deposits = new List<ObservedDeposit>();
        foreach (var log in logs)
        {
            // The node has filtered already; checked again so a lax node cannot smuggle in another contract's log.
            // ERC-721 shares the Transfer signature with a third indexed topic and no data: skipped by the shape test.
            if (log.Topics.Count != 3 || !tokenSet.Contains(Lower(log.Address))
                || !string.Equals(log.Topics[0], Erc20.TransferTopic, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var to = Erc20.AddressFromTopic(log.Topics[2]);
            var data = Hex.ParseData(log.Data);
            var amount = data.Length == 32 ? new BigInteger(data, isUnsigned: true, isBigEndian: true) : BigInteger.Zero;
            // A zero-value transfer credits nothing; it is also the usual "address poisoning" spam.
            if (!watched.Contains(Lower(to)) || amount.IsZero)
            {
                continue;
            }
            deposits.Add(new ObservedDeposit(log.TransactionHash, log.LogIndex, log.BlockNumber, Erc20.AddressFromTopic(log.Topics[1]), to,
                EvmAddress.ToChecksum(log.Address), amount));
        }
        return deposits;
    }

    private static async Task<IEnumerable<ObservedDeposit>> NativeDepositsAsync(EvmRpcClient node, long blockNumber, HashSet<string> watched,
        CancellationToken cancellationToken)
    {
        var block = await node.CallAsync("eth_getBlockByNumber", [Hex.Quantity(blockNumber), true], cancellationToken);
        if (block.ValueKind != JsonValueKind.Object)
        {
            // Not there (yet): the caller asked beyond the head. Nothing to report for it.
            return [];
        }
        var deposits = new List<ObservedDeposit>();
        foreach (var transaction in block.GetProperty("transactions").EnumerateArray())
        {
            // Contract creations have "to": null; they cannot pay a deposit address.
            if (!transaction.TryGetProperty("to", out var toElement) || toElement.GetString() is not { } to || !watched.Contains(Lower(to)))
            {
                continue;
            }
            var value = Hex.ParseQuantity(transaction.GetProperty("value").GetString());
            if (value.IsZero)
            {
                continue;
            }
            var hash = transaction.GetProperty("hash").GetString()!;
            // A reverted transaction is in the block with its value refunded; only a successful one moved coins.
            var receipt = await node.ReceiptAsync(hash, cancellationToken);
            if (receipt is not { Succeeded: true })
            {
                continue;
            }
            deposits.Add(new ObservedDeposit(hash, -1, blockNumber, EvmAddress.ToChecksum(transaction.GetProperty("from").GetString()!),
                EvmAddress.ToChecksum(to), null, value));
        }
        return deposits;
    }

    /// <summary>An address as an indexed topic: the 20 bytes left-padded to 32.</summary>
    private static string Topic(string lowerAddress) => "0x" + new string('0', 24) + lowerAddress[2..];

    /// <summary>0x and 40 lower-case hex digits; refuses anything that is not an address.</summary>
    private static string Lower(string address) => EvmAddress.ToChecksum(address).ToLowerInvariant();
}
