using System.Numerics;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement.Evm;

namespace Cryptopocket.Server.Features.Rampoffs.Deposits;

/// <summary>One asset a sweep moved to the treasury: <see cref="Token"/> is the ERC-20 (EIP-55), or null for the native coin.</summary>
public sealed record FlushedAmount(string? Token, BigInteger Amount);

/// <summary>
/// The calls and the event of chain/contracts/DepositFactory.sol, ABI-encoded by hand like <see cref="Erc20"/> (the
/// project has no Ethereum library). Static types take one 32-byte word each; a dynamic array is an offset in the head
/// and, in the tail, its length followed by its elements.
/// </summary>
public static class DepositFactoryAbi
{
    /// <summary>keccak256("Flushed(address,uint256)"), emitted by the forwarder (the deposit address) per asset moved.</summary>
    public static readonly string FlushedTopic = Hex.Data(Keccak256.Hash("Flushed(address,uint256)"u8));

    private static readonly byte[] SweepSelector = Keccak256.Hash("sweep(bytes32,address[])"u8)[..4];
    private static readonly byte[] DepositAddressSelector = Keccak256.Hash("depositAddress(bytes32)"u8)[..4];
    private static readonly byte[] ForwarderCodeHashSelector = Keccak256.Hash("forwarderCodeHash()"u8)[..4];

    /// <summary><c>constructor(address treasury)</c>: the bytes to append to the factory's creation bytecode.</summary>
    public static byte[] EncodeConstructor(string treasury) => Erc20.Word(Erc20.Address(treasury));

    /// <summary>
    /// <c>sweep(bytes32 salt, address[] tokens)</c>: selector, the salt, the array's offset (0x40: just past the two head
    /// words), then the array's length and one word per token.
    /// </summary>
    public static string EncodeSweep(string salt, IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        List<byte> data = [.. SweepSelector, .. Bytes32(salt), .. Erc20.Word(new BigInteger(64)), .. Erc20.Word(new BigInteger(tokens.Count))];
        foreach (var token in tokens)
        {
            data.AddRange(Erc20.Word(Erc20.Address(token)));
        }
        return Hex.Data([.. data]);
    }

    /// <summary><c>depositAddress(bytes32 salt)</c>, for eth_call; the answer is the address as one word.</summary>
    public static string EncodeDepositAddress(string salt) => Hex.Data([.. DepositAddressSelector, .. Bytes32(salt)]);

    /// <summary><c>forwarderCodeHash()</c>, for eth_call; the answer is the 32-byte hash itself.</summary>
    public static string EncodeForwarderCodeHash() => Hex.Data(ForwarderCodeHashSelector);

    /// <summary>
    /// The amounts a sweep moved, from its receipt's logs: only <c>Flushed</c> events emitted by
    /// <paramref name="depositAddress"/> count, so an event of the same shape from any other contract is ignored.
    /// </summary>
    public static IReadOnlyList<FlushedAmount> ReadFlushed(IEnumerable<EvmLog> logs, string depositAddress)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var forwarder = EvmAddress.ToChecksum(depositAddress);
        var moved = new List<FlushedAmount>();
        foreach (var log in logs)
        {
            if (log.Topics.Count != 2
                || !string.Equals(log.Topics[0], FlushedTopic, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(log.Address, forwarder, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var token = Erc20.AddressFromTopic(log.Topics[1]);
            var data = Hex.ParseData(log.Data);
            if (data.Length != 32)
            {
                throw new FormatException($"A Flushed event carries one uint256, got {data.Length} bytes (log {log.LogIndex} of {log.TransactionHash}).");
            }
            var amount = new BigInteger(data, isUnsigned: true, isBigEndian: true);
            moved.Add(new FlushedAmount(token == ZeroAddress ? null : token, amount));
        }
        return moved;
    }

    private const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    private static byte[] Bytes32(string hex)
    {
        var bytes = Hex.ParseData(hex);
        return bytes.Length == 32 ? bytes : throw new ArgumentException("Expected 0x and 64 hex digits (32 bytes).", nameof(hex));
    }
}
