using System.Collections.Concurrent;
using Cryptopocket.Server.Features.Rampoffs.Deposits;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>Where a chain's deposit addresses come from: its factory and the forwarder's code hash.</summary>
public sealed record DepositFactoryInfo(string Factory, string CodeHash);

/// <summary>
/// Derives each operation's deposit address without touching a key: CREATE2 from the chain's deposit factory and a
/// salt made of the operation id. The forwarder's code hash comes from configuration, or is asked of the factory once
/// per process (it never changes for a deployed factory).
/// </summary>
public sealed class DepositAddressing(ChainRegistry chains)
{
    private readonly ConcurrentDictionary<string, string> _codeHashes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the chain can take deposits at all (a factory is configured); says nothing of the node being up.</summary>
    public bool Supports(string chain) => chains.Find(chain) is { DepositFactory.Length: > 0 };

    /// <summary>The factory and code hash, or null when the chain has no factory or its node cannot be asked right now.</summary>
    public async Task<DepositFactoryInfo?> FactoryAsync(string chain, CancellationToken cancellationToken)
    {
        if (chains.Find(chain) is not { DepositFactory.Length: > 0 } endpoint)
        {
            return null;
        }
        if (endpoint.DepositCodeHash.Length > 0)
        {
            return new DepositFactoryInfo(endpoint.DepositFactory, endpoint.DepositCodeHash);
        }
        if (_codeHashes.TryGetValue(endpoint.DepositFactory, out var known))
        {
            return new DepositFactoryInfo(endpoint.DepositFactory, known);
        }
        try
        {
            var call = new System.Text.Json.Nodes.JsonObject { ["to"] = endpoint.DepositFactory, ["data"] = DepositFactoryAbi.EncodeForwarderCodeHash() };
            var hash = (await chains.Node(endpoint).CallAsync("eth_call", [call, "latest"], cancellationToken)).GetString();
            if (hash is null || hash.Length != 66)
            {
                return null;
            }
            _codeHashes[endpoint.DepositFactory] = hash;
            return new DepositFactoryInfo(endpoint.DepositFactory, hash);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonRpcException or TaskCanceledException or System.Text.Json.JsonException
                                          or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }
}
