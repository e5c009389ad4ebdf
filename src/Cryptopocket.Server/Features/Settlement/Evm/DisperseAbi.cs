using System.Numerics;
using Cryptopocket.Server.Features.Payments.Wallets;

namespace Cryptopocket.Server.Features.Settlement.Evm;

/// <summary>
/// The calls batched payouts need: chain/contracts/Disperse.sol's <c>disperseToken</c>, and the ERC-20 allowance a
/// hot wallet gives it. ABI-encoded by hand like <see cref="Erc20"/>.
/// </summary>
public static class DisperseAbi
{
    /// <summary>2^256 − 1: the approval tokens treat as unlimited (TestToken, and most stablecoins, never spend it down).</summary>
    public static readonly BigInteger UnlimitedAllowance = (BigInteger.One << 256) - 1;

    private static readonly byte[] DisperseTokenSelector = Keccak256.Hash("disperseToken(address,address[],uint256[])"u8)[..4];
    private static readonly byte[] AllowanceSelector = Keccak256.Hash("allowance(address,address)"u8)[..4];
    private static readonly byte[] ApproveSelector = Keccak256.Hash("approve(address,uint256)"u8)[..4];

    /// <summary>
    /// <c>disperseToken(token, recipients, values)</c>: three head words (the token, then the offsets of the two arrays,
    /// counted from the start of the arguments), then each array as its length and its elements.
    /// </summary>
    public static string EncodeDisperseToken(string token, IReadOnlyList<string> recipients, IReadOnlyList<BigInteger> values)
    {
        if (recipients.Count != values.Count)
        {
            throw new ArgumentException("A disperse needs one value per recipient.", nameof(values));
        }
        var count = recipients.Count;
        var data = new List<byte>(4 + 32 * (5 + 2 * count));
        data.AddRange(DisperseTokenSelector);
        data.AddRange(Erc20.Word(Erc20.Address(token)));
        data.AddRange(Erc20.Word(new BigInteger(3 * 32)));
        data.AddRange(Erc20.Word(new BigInteger(3 * 32 + 32 + 32 * count)));
        data.AddRange(Erc20.Word(new BigInteger(count)));
        foreach (var recipient in recipients)
        {
            data.AddRange(Erc20.Word(Erc20.Address(recipient)));
        }
        data.AddRange(Erc20.Word(new BigInteger(count)));
        foreach (var value in values)
        {
            data.AddRange(Erc20.Word(value));
        }
        return Hex.Data([.. data]);
    }

    /// <summary>ERC-20 <c>allowance(owner, spender)</c>.</summary>
    public static string EncodeAllowance(string owner, string spender) =>
        Hex.Data([.. AllowanceSelector, .. Erc20.Word(Erc20.Address(owner)), .. Erc20.Word(Erc20.Address(spender))]);

    /// <summary>ERC-20 <c>approve(spender, amount)</c>.</summary>
    public static string EncodeApprove(string spender, BigInteger amount) =>
        Hex.Data([.. ApproveSelector, .. Erc20.Word(Erc20.Address(spender)), .. Erc20.Word(amount)]);
}
