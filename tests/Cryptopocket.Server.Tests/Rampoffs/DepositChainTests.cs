using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Rampoffs.Deposits;
using Cryptopocket.Server.Features.Settlement;
using Cryptopocket.Server.Features.Settlement.Evm;
using Cryptopocket.Server.Features.Settlement.Sandbox;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Rampoffs;

/// <summary>A local chain with a sweeper account and a DepositFactory whose treasury is a fresh, empty address.</summary>
public sealed class DepositChain : IAsyncLifetime
{
    public LocalChain Chain { get; private set; } = null!;
    public string Factory { get; private set; } = "";
    public string CodeHash { get; private set; } = "";
    public string Treasury { get; } = DepositChainTests.RandomAddress();

    public async Task InitializeAsync()
    {
        Chain = await LocalChain.StartAsync(withSweeper: true);
        Factory = await Chain.DeployDepositFactoryAsync(Treasury);
        CodeHash = (await Chain.Node.CallAsync("eth_call",
            [new JsonObject { ["to"] = Factory, ["data"] = DepositFactoryAbi.EncodeForwarderCodeHash() }, "latest"], CancellationToken.None)).GetString()!;
    }

    public async Task DisposeAsync() => await Chain.DisposeAsync();
}

/// <summary>
/// Off-ramp deposit addresses against the real contract on a Hardhat node: the C# address derivation agrees with the
/// factory, the scanner sees what was sent to watched addresses and nothing else, and a sweep signed by the sweeper
/// account moves everything to the treasury with the amounts read back from the receipt.
/// </summary>
public sealed class DepositChainTests(DepositChain fixture) : IClassFixture<DepositChain>
{
    private LocalChain Chain => fixture.Chain;

    [Fact]
    public async Task ComputeAgreesWithTheFactorysOwnDepositAddress()
    {
        foreach (var id in new[] { "op-1", "R7kq2Zp9", "opération-ñ-€", Guid.NewGuid().ToString() })
        {
            var salt = DepositAddresses.SaltFor(id);
            var onChain = await CallAsync(fixture.Factory, DepositFactoryAbi.EncodeDepositAddress(salt));
            Assert.Equal(Erc20.AddressFromTopic(onChain), DepositAddresses.Compute(fixture.Factory, salt, fixture.CodeHash));
        }
        // The code hash the factory reports is that of the forwarder's creation code as compiled.
        using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(LocalChain.ChainDirectory, "build", "DepositForwarder.json")));
        Assert.Equal(Hex.Data(Keccak256.Hash(Hex.ParseData(artifact.RootElement.GetProperty("bytecode").GetString()!))), fixture.CodeHash);
    }

    [Fact]
    public async Task TheScannerFindsTokenAndNativeDepositsToWatchedAddressesWithinTheRangeOnly()
    {
        var watchedToken = DepositAddresses.Compute(fixture.Factory, DepositAddresses.SaltFor($"scan-{Guid.NewGuid()}"), fixture.CodeHash);
        var watchedNative = DepositAddresses.Compute(fixture.Factory, DepositAddresses.SaltFor($"scan-{Guid.NewGuid()}"), fixture.CodeHash);
        var elsewhere = RandomAddress();
        await Chain.MintUsdcAsync(Chain.Faucet, 1_000m);

        var before = await SendUsdcAsync(watchedToken, 1m);
        var token = await SendUsdcAsync(watchedToken, 12.5m);
        await SendUsdcAsync(elsewhere, 3m);
        await SendUsdcAsync(watchedToken, 0m);
        await SendNativeAsync(elsewhere, 1m);
        var native = await SendNativeAsync(watchedNative, 0.75m);
        var after = await SendNativeAsync(watchedNative, 2m);
        // Automine gives each transaction a block of its own, so the range below excludes the first and the last.
        var (from, to) = (await BlockOfAsync(token), await BlockOfAsync(native));
        Assert.True(await BlockOfAsync(before) < from && await BlockOfAsync(after) > to);

        // Lower case in, EIP-55 out; the list also holds addresses that received nothing.
        var watched = new[] { watchedToken.ToLowerInvariant(), watchedNative.ToLowerInvariant(), RandomAddress() };
        var found = await DepositScanner.ScanAsync(Chain.Node, from, to, [Chain.Usdc.ToLowerInvariant()], watched, includeNative: true, CancellationToken.None);

        var faucet = EvmAddress.ToChecksum(Chain.Faucet);
        Assert.Collection(found,
            d => Assert.Equal(new ObservedDeposit(token, d.LogIndex, from, faucet, watchedToken, EvmAddress.ToChecksum(Chain.Usdc), 12_500_000), d),
            d => Assert.Equal(new ObservedDeposit(native, -1, to, faucet, watchedNative, null, BaseUnits.From(0.75m, 18)), d));
        Assert.True(found[0].LogIndex >= 0);

        // Without native scanning only the token deposit is left.
        var tokensOnly = await DepositScanner.ScanAsync(Chain.Node, from, to, [Chain.Usdc], watched, includeNative: false, CancellationToken.None);
        Assert.Equal(token, Assert.Single(tokensOnly).TxHash);
    }

    [Fact]
    public async Task TheScannerSplitsLongAddressListsAndWideBlockRangesIntoSeveralQueries()
    {
        var first = RandomAddress();
        var last = RandomAddress();
        await Chain.MintUsdcAsync(Chain.Faucet, 10m);
        var early = await SendUsdcAsync(first, 1m);
        // Over one query's block span between the two deposits (hardhat_mine makes them at once).
        await Chain.Node.CallAsync("hardhat_mine", [Hex.Quantity(DepositScanner.BlocksPerQuery + 500)], CancellationToken.None);
        var late = await SendUsdcAsync(last, 2m);
        // 450 addresses: three queries' worth; the two that received something sit in different chunks.
        var watched = Enumerable.Range(0, 448).Select(_ => RandomAddress()).Prepend(first).Append(last).ToList();

        var found = await DepositScanner.ScanAsync(Chain.Node, await BlockOfAsync(early), await BlockOfAsync(late), [Chain.Usdc], watched,
            includeNative: false, CancellationToken.None);

        Assert.Equal([early, late], found.Select(d => d.TxHash));
        Assert.Equal([first, last], found.Select(d => d.To));
    }

    [Fact]
    public async Task ASweepSignedByTheSweeperMovesTokensAndNativeCoinToTheTreasury()
    {
        var salt = DepositAddresses.SaltFor($"sweep-{Guid.NewGuid()}");
        var deposit = DepositAddresses.Compute(fixture.Factory, salt, fixture.CodeHash);
        await Chain.MintUsdcAsync(Chain.Faucet, 100m);
        await SendUsdcAsync(deposit, 40.25m);
        await SendNativeAsync(deposit, 1.5m);
        var treasuryUsdc = await Chain.Node.TokenBalanceAsync(Chain.Usdc, fixture.Treasury, CancellationToken.None);
        var treasuryNative = await Chain.Node.BalanceAsync(fixture.Treasury, CancellationToken.None);
        Assert.Equal("0x", await Chain.Node.CodeAsync(deposit, CancellationToken.None));

        var first = await SweepAsync(salt, deposit);

        Assert.Equal([new FlushedAmount(EvmAddress.ToChecksum(Chain.Usdc), 40_250_000), new FlushedAmount(null, BaseUnits.From(1.5m, 18))], first);
        Assert.NotEqual("0x", await Chain.Node.CodeAsync(deposit, CancellationToken.None));
        Assert.Equal(treasuryUsdc + 40_250_000, await Chain.Node.TokenBalanceAsync(Chain.Usdc, fixture.Treasury, CancellationToken.None));
        Assert.Equal(treasuryNative + BaseUnits.From(1.5m, 18), await Chain.Node.BalanceAsync(fixture.Treasury, CancellationToken.None));
        Assert.Equal(BigInteger.Zero, await Chain.Node.TokenBalanceAsync(Chain.Usdc, deposit, CancellationToken.None));
        Assert.Equal(BigInteger.Zero, await Chain.Node.BalanceAsync(deposit, CancellationToken.None));

        // A second deposit to the same address, now a contract, and a second sweep; then one with nothing to move.
        await SendUsdcAsync(deposit, 5m);
        Assert.Equal([new FlushedAmount(EvmAddress.ToChecksum(Chain.Usdc), 5_000_000)], await SweepAsync(salt, deposit));
        Assert.Empty(await SweepAsync(salt, deposit));
    }

    /// <summary>
    /// What the off-ramp's sweeper does: builds sweep(salt, [USDC]) from the sweep account, has the signer sign it,
    /// broadcasts it, waits for the receipt and reads the moved amounts from it.
    /// </summary>
    private async Task<IReadOnlyList<FlushedAmount>> SweepAsync(string salt, string deposit)
    {
        var data = DepositFactoryAbi.EncodeSweep(salt, [Chain.Usdc]);
        var gas = await Chain.Node.EstimateGasAsync(new JsonObject { ["from"] = Chain.Sweeper, ["to"] = fixture.Factory, ["data"] = data }, CancellationToken.None);
        var priority = await Chain.Node.MaxPriorityFeeAsync(CancellationToken.None);
        var raw = await Chain.Signer.SignTransactionAsync(new JsonObject
        {
            ["from"] = Chain.Sweeper, ["to"] = fixture.Factory, ["value"] = "0x0", ["data"] = data,
            ["nonce"] = Hex.Quantity(await Chain.Node.TransactionCountAsync(Chain.Sweeper, "pending", CancellationToken.None)),
            ["gas"] = Hex.Quantity(gas * 6 / 5),
            ["maxFeePerGas"] = Hex.Quantity(await Chain.Node.BaseFeeAsync(CancellationToken.None) * 2 + priority),
            ["maxPriorityFeePerGas"] = Hex.Quantity(priority),
            ["chainId"] = Hex.Quantity(31337), ["type"] = "0x2",
        }, CancellationToken.None);
        var hash = await Chain.Node.SendRawTransactionAsync(raw, CancellationToken.None);
        var receipt = await WaitForReceiptAsync(hash);
        Assert.True(receipt.Succeeded, $"The sweep {hash} reverted.");
        var logs = await Chain.Node.ReceiptLogsAsync(hash, CancellationToken.None);
        Assert.NotNull(logs);
        return DepositFactoryAbi.ReadFlushed(logs, deposit);
    }

    private async Task<string> SendUsdcAsync(string to, decimal amount) =>
        await SandboxChainHost.SendAndWaitAsync(Chain.Node,
            new JsonObject { ["from"] = Chain.Faucet, ["to"] = Chain.Usdc, ["data"] = Erc20.EncodeTransfer(to, BaseUnits.From(amount, 6)) },
            contract: false, CancellationToken.None);

    /// <summary>A plain value transfer from the node's development account (eth_sendTransaction).</summary>
    private async Task<string> SendNativeAsync(string to, decimal amount) =>
        await SandboxChainHost.SendAndWaitAsync(Chain.Node,
            new JsonObject { ["from"] = Chain.Faucet, ["to"] = to, ["value"] = Hex.Quantity(BaseUnits.From(amount, 18)) },
            contract: false, CancellationToken.None);

    private async Task<long> BlockOfAsync(string hash) => (long)(await WaitForReceiptAsync(hash)).BlockNumber;

    private async Task<TransactionReceipt> WaitForReceiptAsync(string hash)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await Chain.Node.ReceiptAsync(hash, CancellationToken.None) is { } receipt)
            {
                return receipt;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{hash} was not mined.");
    }

    private async Task<string> CallAsync(string to, string data) =>
        (await Chain.Node.CallAsync("eth_call", [new JsonObject { ["to"] = to, ["data"] = data }, "latest"], CancellationToken.None)).GetString()!;

    public static string RandomAddress() => EvmAddress.ToChecksum(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)));
}
