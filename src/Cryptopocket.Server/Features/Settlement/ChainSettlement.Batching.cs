using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement.Evm;

namespace Cryptopocket.Server.Features.Settlement;

public sealed partial class ChainSettlement
{
    /// <summary>
    /// Purchases paid per Disperse call. A hundred ERC-20 transferFroms cost some 3–6 million gas (more when recipients
    /// are new holders), a fifth of a 30-million-gas block, so a batch still fits among other traffic on a real chain; its
    /// call data (about 6.5 kB) stays far under nodes' 128 kB transaction limit and its signed bytes under the column's
    /// length; and should a batch revert or stick, at most a hundred purchases wait on it. Beyond that the saving per
    /// purchase is small: the call's fixed 21,000 gas is already spread thin.
    /// </summary>
    public const int LegsPerTransaction = 100;

    /// <summary>One Disperse call planned for a token: its legs in order and its gas limit.</summary>
    private sealed record BatchPlan(IReadOnlyList<Delivery> Legs, BigInteger Gas);

    /// <summary>
    /// A round's gas answers: the limit of a single transfer, the tokens that go out in batches this round (with each
    /// batch's limit), and why batching was refused for the tokens that fall back to single transfers.
    /// </summary>
    private sealed record GasPlan(
        Func<Delivery, (BigInteger Gas, string? Error)> Single,
        IReadOnlyDictionary<string, List<BatchPlan>> Batches,
        IReadOnlyDictionary<string, string> BatchingUnavailable);

    /// <summary>
    /// Every estimate a round needs. Single transfers: a node estimates by re-running the transaction (on Hardhat one
    /// estimate costs more than several transfers), and an ERC-20 transfer costs the same whoever receives it, except
    /// that a recipient holding none of the token yet needs a fresh storage slot, the dearest case; so each token is
    /// estimated once, for its smallest coverable amount to a new random address, and that limit serves every single
    /// transfer of the token this round. A native transfer's cost does depend on the recipient (a contract wallet runs
    /// code on receipt), so each is estimated. Each estimate gets a fifth on top. These go in one JSON-RPC batch with
    /// the hot wallet's allowance to Disperse for every token that may be batched.
    /// <para>
    /// Batches, on a chain with a Disperse contract: a token with two purchases or more this round is split into calls
    /// of <see cref="LegsPerTransaction"/>. A call's gas limit is the token's single-transfer limit per leg: a leg costs
    /// less than a transfer of its own, which also pays the 21,000 every transaction pays. The limit is not estimated:
    /// estimating a call that calls other contracts makes the node search for the limit by running it over and over (a
    /// 100-leg call took 0.4–2 s on Hardhat, the biggest share of a round). Instead each real call (its exact recipients
    /// and amounts) is run once, with that limit, in a second JSON-RPC batch: a recipient the token refuses, or a limit
    /// too low for an unusual token, fails there and not on chain. A token whose allowance is short or whose call fails
    /// goes out as single transfers this round — slower, never stuck — and the caller raises an alert.
    /// </para>
    /// </summary>
    private static async Task<GasPlan> EstimateAsync(string chainName, ChainEndpointOptions chain, EvmRpcClient node, string from,
        IReadOnlyList<Delivery> deliveries, IReadOnlyDictionary<string, BigInteger> available, CancellationToken cancellationToken)
    {
        var covered = deliveries.Where(d => available[d.Payment.CoinSymbol] >= d.Amount).ToList();
        var keys = new List<string>();
        var calls = new List<JsonRpcCall>();
        foreach (var token in covered.Where(d => !d.IsNative).GroupBy(d => d.Token!, StringComparer.OrdinalIgnoreCase))
        {
            var newHolder = EvmAddress.ToChecksum(Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
            keys.Add(token.Key);
            calls.Add(new JsonRpcCall("eth_estimateGas", [new JsonObject
            {
                ["from"] = from, ["to"] = token.Key, ["value"] = Hex.Quantity(0), ["data"] = Erc20.EncodeTransfer(newHolder, token.Min(d => d.Amount)),
            }]));
        }
        foreach (var native in covered.Where(d => d.IsNative))
        {
            keys.Add(native.Payment.Id);
            calls.Add(new JsonRpcCall("eth_estimateGas", [new JsonObject { ["from"] = from, ["to"] = native.Payment.Wallet, ["value"] = Hex.Quantity(native.Amount) }]));
        }

        // Candidate batches per token: its deliveries in paid order, each taken while the token balance still covers it
        // (the same ones the planning loop would fund one by one), cut into calls of LegsPerTransaction.
        var disperse = chain.Disperse.Length == 0 ? null : EvmAddress.ToChecksum(chain.Disperse);
        var candidates = new Dictionary<string, (string Token, List<Delivery[]> Chunks, int AllowanceCall)>(StringComparer.OrdinalIgnoreCase);
        if (disperse is not null)
        {
            foreach (var token in deliveries.Where(d => !d.IsNative).GroupBy(d => d.Payment.CoinSymbol, StringComparer.OrdinalIgnoreCase))
            {
                var left = available[token.Key];
                var legs = new List<Delivery>();
                foreach (var delivery in token)
                {
                    if (delivery.Amount <= left)
                    {
                        legs.Add(delivery);
                        left -= delivery.Amount;
                    }
                }
                if (legs.Count < 2)
                {
                    // One purchase goes as a plain transfer: cheaper than a Disperse call for one.
                    continue;
                }
                candidates[token.Key] = (legs[0].Token!, legs.Chunk(LegsPerTransaction).ToList(), calls.Count);
                calls.Add(new JsonRpcCall("eth_call", [new JsonObject { ["to"] = legs[0].Token!, ["data"] = Erc20.EncodeAllowance(from, disperse) }, "latest"]));
            }
        }

        var answers = calls.Count == 0 ? [] : await node.CallBatchAsync(calls, cancellationToken);
        var limits = new Dictionary<string, (BigInteger Gas, string? Error)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < keys.Count; i++)
        {
            limits[keys[i]] = answers[i].Error is { } error ? (BigInteger.Zero, error.RpcMessage) : (WithMargin(answers[i]), null);
        }

        var unavailable = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var planned = new List<(string Symbol, BatchPlan Plan)>();
        foreach (var (symbol, (contract, chunks, allowanceCall)) in candidates)
        {
            var needed = chunks.SelectMany(c => c).Aggregate(BigInteger.Zero, (total, d) => total + d.Amount);
            var allowance = answers[allowanceCall];
            if (allowance.Error is { } allowanceError)
            {
                unavailable[symbol] = $"Could not read the {chainName} hot wallet's {symbol} allowance to Disperse {disperse} ({allowanceError.RpcMessage}); " +
                    "its purchases go out one transaction each.";
                continue;
            }
            var allowed = Hex.ParseQuantity(allowance.Result.GetString());
            if (allowed < needed)
            {
                unavailable[symbol] = $"The {chainName} hot wallet {from} has approved Disperse {disperse} for {allowed} {symbol} base units, short of the " +
                    $"{needed} this round pays; its purchases go out one transaction each until it approves more (see docs/operations.md).";
                continue;
            }
            if (limits[contract].Error is not null)
            {
                // No single-transfer limit to build on: the token goes the single way, whose failed estimate is alerted.
                continue;
            }
            planned.AddRange(chunks.Select(chunk => (symbol, new BatchPlan(chunk, limits[contract].Gas * chunk.Length))));
        }

        // Each planned call run once, as it will be sent (from the hot wallet, with its limit), against the latest block.
        var trials = planned.Count == 0 ? [] : await node.CallBatchAsync([.. planned.Select(p => new JsonRpcCall("eth_call", [new JsonObject
        {
            ["from"] = from, ["to"] = disperse, ["value"] = Hex.Quantity(0), ["gas"] = Hex.Quantity(p.Plan.Gas),
            ["data"] = CallOf(disperse, p.Plan.Legs[0].Token, [.. p.Plan.Legs.Select(d => new Payout(d.Payment.Wallet!, d.Amount))]).Data,
        }, "latest"]))], cancellationToken);
        var batches = new Dictionary<string, List<BatchPlan>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < planned.Count; i++)
        {
            var (symbol, plan) = planned[i];
            if (unavailable.ContainsKey(symbol))
            {
                continue;
            }
            if (trials[i].Error is { } failed)
            {
                batches.Remove(symbol);
                unavailable[symbol] = $"A {chainName} Disperse call for {symbol} fails when tried ({failed.RpcMessage}), " +
                    "perhaps a recipient the token refuses; its purchases go out one transaction each.";
                continue;
            }
            (batches.TryGetValue(symbol, out var list) ? list : batches[symbol] = []).Add(plan);
        }
        return new GasPlan(
            delivery => limits.TryGetValue(delivery.Token ?? delivery.Payment.Id, out var limit) ? limit : (BigInteger.Zero, "not estimated"),
            batches, unavailable);
    }

    private static BigInteger WithMargin(JsonRpcAnswer estimate) => Hex.ParseQuantity(estimate.Result.GetString()) * 6 / 5;
}
