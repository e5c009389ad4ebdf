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

public sealed record TransactionReceipt(string TransactionHash, bool Succeeded, BigInteger BlockNumber, BigInteger GasUsed, BigInteger EffectiveGasPrice)
{
    /// <summary>An <c>eth_getTransactionReceipt</c> result; null while the transaction has none (unknown or not mined).</summary>
    public static TransactionReceipt? FromJson(JsonElement receipt) => receipt.ValueKind != JsonValueKind.Object
        ? null
        : new TransactionReceipt(
            receipt.GetProperty("transactionHash").GetString()!,
            Hex.ParseQuantity(receipt.GetProperty("status").GetString()) == 1,
            Hex.ParseQuantity(receipt.GetProperty("blockNumber").GetString()),
            Hex.ParseQuantity(receipt.GetProperty("gasUsed").GetString()),
            receipt.TryGetProperty("effectiveGasPrice", out var price) ? Hex.ParseQuantity(price.GetString()) : BigInteger.Zero);
}

/// <summary>
/// A sender's account as the node sees it (<see cref="EvmRpcClient.SenderStateAsync"/>): next nonce (pending included),
/// suggested EIP-1559 fees, native balance, and balance per token contract asked for.
/// </summary>
public sealed record SenderState(BigInteger PendingNonce, BigInteger MaxFee, BigInteger Priority, BigInteger NativeBalance,
    IReadOnlyDictionary<string, BigInteger> TokenBalances);

/// <summary>One call of a JSON-RPC batch.</summary>
public sealed record JsonRpcCall(string Method, JsonArray Parameters);

/// <summary>
/// One call's answer within a batch: a batch never fails as a whole for one bad call, so each answer carries its own
/// result or its own error, and reading <see cref="Result"/> throws that error for this call alone.
/// </summary>
public sealed class JsonRpcAnswer(JsonElement result, JsonRpcException? error)
{
    public JsonRpcException? Error => error;

    public JsonElement Result => error is null ? result : throw error;
}

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
        using var document = await PostAsync(request, cancellationToken);
        var root = document.RootElement;
        if (ErrorOf(method, root) is { } error)
        {
            throw error;
        }
        return root.GetProperty("result").Clone();
    }

    /// <summary>
    /// Several calls in one HTTP request (a JSON-RPC 2.0 batch), answered in the order given whatever order the server
    /// answers in. A server may run a batch's calls concurrently (Hardhat does), so calls that must happen in order
    /// do not belong in one batch. An error answer for the batch as a whole (a server without batches) throws.
    /// </summary>
    public async Task<IReadOnlyList<JsonRpcAnswer>> CallBatchAsync(IReadOnlyList<JsonRpcCall> calls, CancellationToken cancellationToken)
    {
        if (calls.Count == 0)
        {
            // JSON-RPC 2.0 calls an empty batch an invalid request.
            return [];
        }
        var firstId = Interlocked.Add(ref _id, calls.Count) - calls.Count + 1;
        var request = new JsonArray([.. calls.Select((call, i) => new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = firstId + i,
            ["method"] = call.Method,
            ["params"] = call.Parameters.DeepClone(),
        })]);
        using var document = await PostAsync(request, cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw ErrorOf($"batch of {calls.Count} {calls[0].Method}", root) ?? new JsonRpcException("batch", 0, "the answer to a batch was not an array");
        }
        var byId = new Dictionary<long, JsonElement>();
        foreach (var answer in root.EnumerateArray())
        {
            if (answer.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number))
            {
                byId[number] = answer;
            }
        }
        return [.. calls.Select((call, i) => !byId.TryGetValue(firstId + i, out var answer)
            ? new JsonRpcAnswer(default, new JsonRpcException(call.Method, 0, "no answer for this call in the batch"))
            : ErrorOf(call.Method, answer) is { } error
                ? new JsonRpcAnswer(default, error)
                : answer.TryGetProperty("result", out var result)
                    ? new JsonRpcAnswer(result.Clone(), null)
                    : new JsonRpcAnswer(default, new JsonRpcException(call.Method, 0, "an answer in the batch had neither result nor error")))];
    }

    /// <summary>One HTTP request of a call or a batch; the answer's document, for the caller to read and dispose.</summary>
    private async Task<JsonDocument> PostAsync(JsonNode request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(endpoint, request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    private static JsonRpcException? ErrorOf(string method, JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            ? new JsonRpcException(method, error.TryGetProperty("code", out var code) && code.TryGetInt32(out var number) ? number : 0,
                error.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "")
            : null;

    public async Task<BigInteger> ChainIdAsync(CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_chainId", [], cancellationToken)).GetString());

    public async Task<BigInteger> BlockNumberAsync(CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_blockNumber", [], cancellationToken)).GetString());

    public async Task<BigInteger> TransactionCountAsync(string address, string block, CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_getTransactionCount", [address, block], cancellationToken)).GetString());

    public async Task<BigInteger> BalanceAsync(string address, CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_getBalance", [address, "latest"], cancellationToken)).GetString());

    public async Task<BigInteger> TokenBalanceAsync(string token, string owner, CancellationToken cancellationToken) =>
        TokenBalanceOf(await CallAsync("eth_call", TokenBalanceCall(token, owner), cancellationToken));

    private static JsonArray TokenBalanceCall(string token, string owner) => [new JsonObject { ["to"] = token, ["data"] = Erc20.EncodeBalanceOf(owner) }, "latest"];

    private static BigInteger TokenBalanceOf(JsonElement result) => result.GetString() is null or "0x" ? BigInteger.Zero : Hex.ParseQuantity(result.GetString());

    public async Task<BigInteger> EstimateGasAsync(JsonObject transaction, CancellationToken cancellationToken) =>
        Hex.ParseQuantity((await CallAsync("eth_estimateGas", [transaction], cancellationToken)).GetString());

    /// <summary>The latest block's base fee (EIP-1559); zero on a chain without one.</summary>
    public async Task<BigInteger> BaseFeeAsync(CancellationToken cancellationToken) =>
        BaseFeeOf(await CallAsync("eth_getBlockByNumber", LatestBlockCall, cancellationToken));

    private static JsonArray LatestBlockCall => ["latest", false];

    private static BigInteger BaseFeeOf(JsonElement block) =>
        block.TryGetProperty("baseFeePerGas", out var fee) ? Hex.ParseQuantity(fee.GetString()) : BigInteger.Zero;

    public async Task<BigInteger> MaxPriorityFeeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Hex.ParseQuantity((await CallAsync("eth_maxPriorityFeePerGas", [], cancellationToken)).GetString());
        }
        catch (JsonRpcException)
        {
            return FallbackPriorityFee;
        }
    }

    /// <summary>The tip when a node does not suggest one: not every node implements it; 1 gwei is what most wallets fall back to.</summary>
    private static readonly BigInteger FallbackPriorityFee = 1_000_000_000;

    /// <summary>EIP-1559 fees: the tip the node suggests, and a cap of twice the base fee plus tip (room for six full blocks).</summary>
    public async Task<(BigInteger MaxFee, BigInteger Priority)> SuggestFeesAsync(CancellationToken cancellationToken)
    {
        var priority = await MaxPriorityFeeAsync(cancellationToken);
        var baseFee = await BaseFeeAsync(cancellationToken);
        return Fees(baseFee, priority);
    }

    private static (BigInteger MaxFee, BigInteger Priority) Fees(BigInteger baseFee, BigInteger priority) => (baseFee * 2 + priority, priority);

    /// <summary>
    /// What a sender needs before it signs, in one JSON-RPC batch rather than a request each: its next nonce counting
    /// pending transactions, the fees <see cref="SuggestFeesAsync"/> would suggest, its native balance and its balance
    /// of each of <paramref name="tokens"/> (keyed as given). Against a hosted node each request is a network round
    /// trip, and a settlement round made five of them one after another.
    /// </summary>
    public async Task<SenderState> SenderStateAsync(string address, IReadOnlyCollection<string> tokens, CancellationToken cancellationToken)
    {
        var answers = await CallBatchAsync(
        [
            new JsonRpcCall("eth_getTransactionCount", [address, "pending"]),
            new JsonRpcCall("eth_maxPriorityFeePerGas", []),
            new JsonRpcCall("eth_getBlockByNumber", LatestBlockCall),
            new JsonRpcCall("eth_getBalance", [address, "latest"]),
            .. tokens.Select(token => new JsonRpcCall("eth_call", TokenBalanceCall(token, address))),
        ], cancellationToken);
        var priority = answers[1].Error is null ? Hex.ParseQuantity(answers[1].Result.GetString()) : FallbackPriorityFee;
        var balances = new Dictionary<string, BigInteger>(StringComparer.OrdinalIgnoreCase);
        var next = 4;
        foreach (var token in tokens)
        {
            balances[token] = TokenBalanceOf(answers[next++].Result);
        }
        return new SenderState(Hex.ParseQuantity(answers[0].Result.GetString()), Fees(BaseFeeOf(answers[2].Result), priority).MaxFee, priority,
            Hex.ParseQuantity(answers[3].Result.GetString()), balances);
    }

    public async Task<string> SendRawTransactionAsync(string raw, CancellationToken cancellationToken) =>
        (await CallAsync("eth_sendRawTransaction", [raw], cancellationToken)).GetString()!;

    public async Task<TransactionReceipt?> ReceiptAsync(string hash, CancellationToken cancellationToken) =>
        TransactionReceipt.FromJson(await CallAsync("eth_getTransactionReceipt", [hash], cancellationToken));

    /// <summary>
    /// The latest block number and the receipts of many transactions (in the order asked; null where there is none
    /// yet), in one batch. A node may answer a batch's calls in any order, so a receipt can be from a block after the
    /// head read with it: counted from that head, such a receipt has fewer confirmations than it really has, never more.
    /// </summary>
    public async Task<(BigInteger Head, IReadOnlyList<TransactionReceipt?> Receipts)> HeadAndReceiptsAsync(IReadOnlyList<string> hashes,
        CancellationToken cancellationToken)
    {
        var answers = await CallBatchAsync([new JsonRpcCall("eth_blockNumber", []), .. hashes.Select(h => new JsonRpcCall("eth_getTransactionReceipt", [h]))],
            cancellationToken);
        return (Hex.ParseQuantity(answers[0].Result.GetString()), [.. answers.Skip(1).Select(answer => TransactionReceipt.FromJson(answer.Result))]);
    }

    /// <summary>Asks a signer to sign; the answer is the raw transaction to broadcast.</summary>
    public async Task<string> SignTransactionAsync(JsonObject transaction, CancellationToken cancellationToken) =>
        SignedRaw(await CallAsync("eth_signTransaction", [transaction], cancellationToken));

    /// <summary>The raw transaction in an <c>eth_signTransaction</c> result.</summary>
    public static string SignedRaw(JsonElement result) =>
        // Clef answers {raw, tx}; Web3Signer and the sandbox signer answer the raw hex itself.
        result.ValueKind == JsonValueKind.Object ? result.GetProperty("raw").GetString()! : result.GetString()!;

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
