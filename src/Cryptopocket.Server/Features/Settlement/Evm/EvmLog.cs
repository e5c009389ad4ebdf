using System.Text.Json;

namespace Cryptopocket.Server.Features.Settlement.Evm;

/// <summary>
/// One event log as a node reports it (in <c>eth_getLogs</c> answers and in receipts). Topics and data stay hex strings,
/// as the node wrote them: each caller knows which event it asked for and decodes only that.
/// </summary>
public sealed record EvmLog(string Address, IReadOnlyList<string> Topics, string Data, int LogIndex, long BlockNumber, string TransactionHash)
{
    /// <summary>Reads a log object of the JSON-RPC specification (quantities in hex).</summary>
    public static EvmLog FromJson(JsonElement log) => new(
        log.GetProperty("address").GetString()!,
        [.. log.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!)],
        log.GetProperty("data").GetString()!,
        (int)Hex.ParseQuantity(log.GetProperty("logIndex").GetString()),
        (long)Hex.ParseQuantity(log.GetProperty("blockNumber").GetString()),
        log.GetProperty("transactionHash").GetString()!);
}
