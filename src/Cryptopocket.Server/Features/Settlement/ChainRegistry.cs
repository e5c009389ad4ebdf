using Cryptopocket.Server.Features.Settlement.Evm;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Settlement;

/// <summary>
/// Where each chain's node and signer are. Configuration names them in production; the sandbox adds the chains it
/// started itself (<see cref="Register"/>) once its node is up and its contracts deployed.
/// </summary>
public sealed class ChainRegistry(IOptionsMonitor<SettlementOptions> options, IHttpClientFactory httpClients)
{
    private readonly Dictionary<string, ChainEndpointOptions> _runtime = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public void Register(string chain, ChainEndpointOptions endpoint)
    {
        lock (_lock)
        {
            _runtime[chain] = endpoint;
        }
    }

    public IReadOnlyDictionary<string, ChainEndpointOptions> Chains
    {
        get
        {
            lock (_lock)
            {
                var all = new Dictionary<string, ChainEndpointOptions>(options.CurrentValue.Chains, StringComparer.OrdinalIgnoreCase);
                foreach (var (name, endpoint) in _runtime)
                {
                    all[name] = endpoint;
                }
                return all;
            }
        }
    }

    public ChainEndpointOptions? Find(string chain) => Chains.GetValueOrDefault(chain);

    public EvmRpcClient Node(ChainEndpointOptions chain) => new(httpClients.CreateClient("evm"), new Uri(chain.RpcUrl));

    public EvmRpcClient Signer(ChainEndpointOptions chain) => new(httpClients.CreateClient("evm"), new Uri(chain.SignerUrl));
}
