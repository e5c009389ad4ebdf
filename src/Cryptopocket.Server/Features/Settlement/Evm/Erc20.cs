using System.Numerics;
using Cryptopocket.Server.Features.Payments.Wallets;

namespace Cryptopocket.Server.Features.Settlement.Evm;

/// <summary>The ERC-20 calls settlement needs, ABI-encoded by hand (no Nethereum in the registry).</summary>
public static class Erc20
{
    /// <summary>keccak256("Transfer(address,address,uint256)"): the topic of every token transfer log.</summary>
    public static readonly string TransferTopic = Hex.Data(Keccak256.Hash("Transfer(address,address,uint256)"u8));

    private static readonly byte[] TransferSelector = Keccak256.Hash("transfer(address,uint256)"u8)[..4];
    private static readonly byte[] BalanceOfSelector = Keccak256.Hash("balanceOf(address)"u8)[..4];
    private static readonly byte[] MintSelector = Keccak256.Hash("mint(address,uint256)"u8)[..4];
    private static readonly byte[] AllowanceSelector = Keccak256.Hash("allowance(address,address)"u8)[..4];
    private static readonly byte[] ApproveSelector = Keccak256.Hash("approve(address,uint256)"u8)[..4];

    /// <summary>2^256 − 1: the approval tokens treat as unlimited (TestToken, and most stablecoins, never spend it down).</summary>
    public static readonly BigInteger UnlimitedAllowance = (BigInteger.One << 256) - 1;

    /// <summary><c>mint(address,uint256)</c> of the sandbox's own TestToken (chain/contracts/TestToken.sol).</summary>
    public static string EncodeMint(string to, BigInteger amount) =>
        Hex.Data([.. MintSelector, .. Word(Address(to)), .. Word(amount)]);

    /// <summary>
    /// TestToken's constructor arguments <c>(string name, string symbol, uint8 decimals)</c> in ABI encoding: three head
    /// words (two offsets and the number), then each string as its length and its UTF-8 bytes padded to 32.
    /// </summary>
    public static byte[] EncodeTokenConstructor(string name, string symbol, byte decimals)
    {
        var nameTail = StringTail(name);
        var symbolTail = StringTail(symbol);
        return [.. Word(new BigInteger(96)), .. Word(new BigInteger(96 + nameTail.Length)), .. Word(new BigInteger(decimals)), .. nameTail, .. symbolTail];
    }

    private static byte[] StringTail(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        var padded = new byte[(bytes.Length + 31) / 32 * 32];
        bytes.CopyTo(padded, 0);
        return [.. Word(new BigInteger(bytes.Length)), .. padded];
    }

    public static string EncodeTransfer(string to, BigInteger amount) =>
        Hex.Data([.. TransferSelector, .. Word(Address(to)), .. Word(amount)]);

    public static string EncodeBalanceOf(string owner) => Hex.Data([.. BalanceOfSelector, .. Word(Address(owner))]);

    /// <summary>ERC-20 <c>allowance(owner, spender)</c>.</summary>
    public static string EncodeAllowance(string owner, string spender) =>
        Hex.Data([.. AllowanceSelector, .. Word(Address(owner)), .. Word(Address(spender))]);

    /// <summary>ERC-20 <c>approve(spender, amount)</c>.</summary>
    public static string EncodeApprove(string spender, BigInteger amount) =>
        Hex.Data([.. ApproveSelector, .. Word(Address(spender)), .. Word(amount)]);

    /// <summary>An address as a left-padded 32-byte ABI word.</summary>
    public static byte[] Word(ReadOnlySpan<byte> address20)
    {
        var word = new byte[32];
        address20.CopyTo(word.AsSpan(12));
        return word;
    }

    /// <summary>A uint256 as a big-endian 32-byte ABI word.</summary>
    public static byte[] Word(BigInteger value)
    {
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A uint256 is between 0 and 2^256 − 1.");
        }
        var word = new byte[32];
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    public static byte[] Address(string address)
    {
        var check = EvmAddress.Validate(address);
        if (!check.IsValid)
        {
            throw new ArgumentException(check.Error, nameof(address));
        }
        return Convert.FromHexString(check.Normalized!.AsSpan(2));
    }

    /// <summary>The address in a log topic (the low 20 bytes of the 32-byte word), EIP-55 checksummed.</summary>
    public static string AddressFromTopic(string topic) => EvmAddress.ToChecksum(topic[^40..]);
}
