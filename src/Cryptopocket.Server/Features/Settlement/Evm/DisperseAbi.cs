using System.Numerics;
using Cryptopocket.Server.Features.Payments.Wallets;

namespace Cryptopocket.Server.Features.Settlement.Evm;

/// <summary>chain/contracts/Disperse.sol's <c>disperseToken</c>, ABI-encoded by hand like <see cref="Erc20"/>.</summary>
public static class DisperseAbi
{
    private static readonly byte[] DisperseTokenSelector = Keccak256.Hash("disperseToken(address,address[],uint256[])"u8)[..4];

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
}
