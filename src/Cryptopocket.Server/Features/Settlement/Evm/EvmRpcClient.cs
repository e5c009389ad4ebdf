using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cryptopocket.Server.Features.Settlement.Evm;

/// <summary>A JSON-RPC error answered by a node or signer, with its code and message.</summary>
public sealed class JsonRpcException(string method, int code, string message) : Exception($"{method}: {message} ({code})")
{
    public int Code => code;
    public string RpcMessage => message;
}

public sealed record TransactionReceipt(string TransactionHash, bool Succeeded, BigInteger BlockNumber, BigInteger GasUsed, BigInteger EffectiveGasPrice);

/// <summary>
/// Speaks Ethereum JSON-RPC to a node or a signer (Web3Signer, Clef, the sandbox signer) over HTTP. Only the calls
/// settlement needs; the server never holds a key: it asks a signer to sign and a node to broadcast.
/// </summary>
public sealed class EvmRpcClient(HttpClient http, Uri endpoint)
{
    private long _id;

    public Uri Endpoint => endpoint;

    public async Task<JsonElement> CallAsync(string method, JsonArray parameters, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _id),
            ["method"] = method,
            ["params"] = parameters,
        };
        using var response = await http.PostAsJsonAsync(endpoint, request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            throw new JsonRpcException(method, error.TryGetProperty("code", out var code) ? code.GetInt32() : 0,
                error.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "");
        }
        return root.GetProperty("result").Clone();
    }

    public async Task<BigInteger> ChainIdAsync(CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_chainId", [], cancellationToken)).GetString());

    public async Task<BigInteger> BlockNumberAsync(CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_blockNumber", [], cancellationToken)).GetString());

    public async Task<BigInteger> TransactionCountAsync(string address, string block, CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_getTransactionCount", [address, block], cancellationToken)).GetString());

    public async Task<BigInteger> BalanceAsync(string address, CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_getBalance", [address, "latest"], cancellationToken)).GetString());

    public async Task<BigInteger> TokenBalanceAsync(string token, string owner, CancellationToken cancellationToken)
    {
        var call = new JsonObject { ["to"] = token, ["data"] = Erc20.EncodeBalanceOf(owner) };
        var result = (await CallAsync("eth_call", [call, "latest"], cancellationToken)).GetString();
        return result is null or "0x" ? BigInteger.Zero : Hex.ParseQuantity(result);
    }

    public async Task<BigInteger> EstimateGasAsync(JsonObject transaction, CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_estimateGas", [transaction], cancellationToken)).GetString());

    /// <summary>The latest block's base fee (EIP-1559); zero on a chain without one.</summary>
    public async Task<BigInteger> BaseFeeAsync(CancellationToken cancellationToken)
    {
        var block = await CallAsync("eth_getBlockByNumber", ["latest", false], cancellationToken);
        return block.TryGetProperty("baseFeePerGas", out var fee) ? Hex.ParseQuantity(fee.GetString()) : BigInteger.Zero;
    }

    public async Task<BigInteger> MaxPriorityFeeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Hex.ParseQuantity((await CallAsync("eth_maxPriorityFeePerGas", [], cancellationToken)).GetString());
        }
        catch (JsonRpcException)
        {
            // Not every node implements it; 1 gwei is what most wallets fall back to.
            return 1_000_000_000;
        }
    }

    /// <summary>EIP-1559 fees: the tip the node suggests, and a cap of twice the base fee plus tip (room for six full blocks).</summary>
    public async Task<(BigInteger MaxFee, BigInteger Priority)> SuggestFeesAsync(CancellationToken cancellationToken)
    {
        var priority = await MaxPriorityFeeAsync(cancellationToken);
        var baseFee = await BaseFeeAsync(cancellationToken);
        return (baseFee * 2 + priority, priority);
    }

    public async Task<string> SendRawTransactionAsync(string raw, CancellationToken cancellationToken) =>
        (await CallAsync("eth_sendRawTransaction", [raw], cancellationToken)).GetString()!;

    public async Task<TransactionReceipt?> ReceiptAsync(string hash, CancellationToken cancellationToken)
    {
        var receipt = await CallAsync("eth_getTransactionReceipt", [hash], cancellationToken);
        if (receipt.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        return new TransactionReceipt(
            receipt.GetProperty("transactionHash").GetString()!,
            Hex.ParseQuantity(receipt.GetProperty("status").GetString()) == 1,
            Hex.ParseQuantity(receipt.GetProperty("blockNumber").GetString()),
            Hex.ParseQuantity(receipt.GetProperty("gasUsed").GetString()),
            receipt.TryGetProperty("effectiveGasPrice", out var price) ? Hex.ParseQuantity(price.GetString()) : BigInteger.Zero);
    }

    /// <summary>Asks a signer to sign; the answer is the raw transaction to broadcast.</summary>
    public async Task<string> SignTransactionAsync(JsonObject transaction, CancellationToken cancellationToken)
    {
        var result = await CallAsync("eth_signTransaction", [transaction], cancellationToken);
        // Clef answers {raw, tx}; Web3Signer and the sandbox signer answer the raw hex itself.
        return result.ValueKind == JsonValueKind.Object ? result.GetProperty("raw").GetString()! : result.GetString()!;
    }

    /// <summary>
    /// <c>eth_getLogs</c> with a filter object as the specification defines it (fromBlock, toBlock, address, topics).
    /// Nodes cap what one call may return (block span or result count); callers keep their filters small.
    /// </summary>
    public async Task<IReadOnlyList<EvmLog>> GetLogsAsync(JsonObject filter, CancellationToken cancellationToken)
    {
        var logs = await CallAsync("eth_getLogs", [filter], cancellationToken);
        return [.. logs.EnumerateArray().Select(EvmLog.FromJson)];
    }

    /// <summary>The logs of a mined transaction, in order; null while it has no receipt (unknown or not mined yet).</summary>
    public async Task<IReadOnlyList<EvmLog>?> ReceiptLogsAsync(string hash, CancellationToken cancellationToken)
    {
        var receipt = await CallAsync("eth_getTransactionReceipt", [hash], cancellationToken);
        return receipt.ValueKind == JsonValueKind.Object ? [.. receipt.GetProperty("logs").EnumerateArray().Select(EvmLog.FromJson)] : null;
    }

    /// <summary>The runtime code at an address in the latest block; <c>"0x"</c> when no contract is there.</summary>
    public async Task<string> CodeAsync(string address, CancellationToken cancellationToken) =>
        (await CallAsync("eth_getCode", [address, "latest"], cancellationToken)).GetString() ?? "0x";
}
