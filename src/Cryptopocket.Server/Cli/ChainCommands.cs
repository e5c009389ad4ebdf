using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Integrations;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Features.Settlement.Sandbox;

namespace Cryptopocket.Server.Cli;

/// <summary>The sandbox chain: where it is and what it holds, and test coins for any address.</summary>
public static class ChainCommands
{
    public static Command Build()
    {
        var chain = new Command("chain", "The sandbox's local EVM chain (started by 'serve' in sandbox mode).");
        chain.Subcommands.Add(Status());
        chain.Subcommands.Add(Faucet());
        return chain;
    }

    private static Command Status()
    {
        var json = GlobalOptions.Json();
        var command = new Command("status", "Each chain's RPC URL, chain id, token contracts, hot wallet and its balances, deposit factory and sweeper.") { json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            var state = LoadState(parse);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var node = new EvmRpcClient(http, new Uri(state.RpcUrl));
            var chains = new JsonObject();
            foreach (var (name, chainState) in state.Chains)
            {
                var balances = new JsonObject
                {
                    [chainState.NativeSymbol] = Format(BaseUnits.ToAmount(await node.BalanceAsync(chainState.HotWallet, cancellationToken), 18)),
                };
                var tokens = new JsonObject();
                foreach (var (symbol, token) in chainState.Tokens)
                {
                    tokens[symbol] = new JsonObject { ["address"] = token.Address, ["decimals"] = token.Decimals };
                    balances[symbol] = Format(BaseUnits.ToAmount(await node.TokenBalanceAsync(token.Address, chainState.HotWallet, cancellationToken), token.Decimals));
                }
                var entry = new JsonObject
                {
                    ["rpc_url"] = state.RpcUrl, ["chain_id"] = state.ChainId, ["native_symbol"] = chainState.NativeSymbol,
                    ["hot_wallet"] = chainState.HotWallet, ["tokens"] = tokens, ["hot_wallet_balances"] = balances,
                };
                // The off-ramp's pieces; absent from a chain.json written before they existed.
                if (chainState.DepositFactory.Length > 0)
                {
                    entry["deposit_factory"] = chainState.DepositFactory;
                    entry["deposit_code_hash"] = chainState.DepositCodeHash;
                    entry["treasury"] = chainState.Treasury;
                    entry["sweep_wallet"] = chainState.SweepWallet;
                    entry["sweep_wallet_balance"] = Format(BaseUnits.ToAmount(await node.BalanceAsync(chainState.SweepWallet, cancellationToken), 18));
                }
                // Absent from a chain.json written before batched payouts: that chain pays one transfer per purchase.
                if (chainState.Disperse.Length > 0)
                {
                    entry["disperse"] = chainState.Disperse;
                }
                chains[name] = entry;
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject { ["rpc_url"] = state.RpcUrl, ["signer_url"] = state.SignerUrl, ["chain_id"] = state.ChainId, ["chains"] = chains }
                    .ToJsonString());
                return;
            }
            Console.WriteLine($"RPC {state.RpcUrl} (chain id {state.ChainId}), signer {state.SignerUrl}");
            foreach (var (name, value) in chains)
            {
                Console.WriteLine($"{name}: hot wallet {value!["hot_wallet"]}");
                foreach (var (symbol, token) in value["tokens"]!.AsObject())
                {
                    Console.WriteLine($"  {symbol,-5} {token!["address"]}");
                }
                Console.WriteLine($"  balances: {string.Join(", ", value["hot_wallet_balances"]!.AsObject().Select(b => $"{b.Value} {b.Key}"))}");
                if (value["disperse"] is { } disperse)
                {
                    Console.WriteLine($"  disperse {disperse} (token payouts batched)");
                }
                if (value["deposit_factory"] is { } factory)
                {
                    Console.WriteLine($"  deposit factory {factory} (sweeps to {value["treasury"]})");
                    Console.WriteLine($"  sweeper {value["sweep_wallet"]} ({value["sweep_wallet_balance"]} {value["native_symbol"]})");
                }
            }
        }));
        return command;
    }

    private static Command Faucet()
    {
        var address = new Option<string>("--address") { Description = "Who receives the coins.", Required = true };
        var symbol = new Option<string>("--symbol") { Description = "A token (USDC, USDT…) or the chain's native coin.", Required = true };
        var amount = new Option<decimal>("--amount") { Description = "In whole units, e.g. 250.5.", Required = true };
        var chainName = new Option<string>("--chain") { Description = "Chain name as the catalogue spells it.", DefaultValueFactory = _ => "polygon" };
        var json = GlobalOptions.Json();
        var command = new Command("faucet", "Gives test tokens or native coin to any address (sandbox only).") { address, symbol, amount, chainName, json };
        command.SetAction((parse, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            var state = LoadState(parse);
            var check = EvmAddress.Validate(parse.GetValue(address));
            if (!check.IsValid)
            {
                throw new OperatorException(check.Error!);
            }
            var value = parse.GetValue(amount);
            if (value <= 0 || value > 1_000_000_000m)
            {
                throw new OperatorException("The amount must be above 0 and at most 1,000,000,000.");
            }
            if (!state.Chains.TryGetValue(parse.GetValue(chainName)!, out var chain))
            {
                throw new OperatorException($"No sandbox chain named '{parse.GetValue(chainName)}'; known: {string.Join(", ", state.Chains.Keys)}.");
            }
            var wanted = parse.GetValue(symbol)!;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var node = new EvmRpcClient(http, new Uri(state.RpcUrl));
            JsonObject transaction;
            if (string.Equals(wanted, chain.NativeSymbol, StringComparison.OrdinalIgnoreCase))
            {
                transaction = new JsonObject { ["from"] = state.FaucetAccount, ["to"] = check.Normalized, ["value"] = Hex.Quantity(ToBaseUnits(value, 18)) };
            }
            else if (chain.Tokens.TryGetValue(wanted, out var token))
            {
                transaction = new JsonObject { ["from"] = state.FaucetAccount, ["to"] = token.Address, ["data"] = Erc20.EncodeMint(check.Normalized!, ToBaseUnits(value, token.Decimals)) };
            }
            else
            {
                throw new OperatorException($"{wanted} is not on {parse.GetValue(chainName)}; known: {chain.NativeSymbol}, {string.Join(", ", chain.Tokens.Keys)}.");
            }
            var hash = await SandboxChainHost.SendAndWaitAsync(node, transaction, contract: false, cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorContext.WriteJson(new { tx_hash = hash, address = check.Normalized, symbol = wanted.ToUpperInvariant(), amount = value });
                return;
            }
            Console.WriteLine($"Sent {value.ToString(CultureInfo.InvariantCulture)} {wanted.ToUpperInvariant()} to {check.Normalized} ({hash}).");
        }));
        return command;
    }

    private static System.Numerics.BigInteger ToBaseUnits(decimal value, int decimals)
    {
        try
        {
            return BaseUnits.From(value, decimals);
        }
        catch (ArgumentException)
        {
            throw new OperatorException($"The amount has more than {decimals} decimal places.");
        }
    }

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static SandboxChainState LoadState(ParseResult parse) =>
        SandboxChainState.Load(GlobalOptions.Read(parse).DataDir)
        ?? throw new OperatorException("No sandbox chain in this data dir yet: start the sandbox with 'cryptopocket serve' (or ./scripts/sandbox.sh).");
}
