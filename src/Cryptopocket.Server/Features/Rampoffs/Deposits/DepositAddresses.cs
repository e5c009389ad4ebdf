using System.Text;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Features.Settlement.Evm;

namespace Cryptopocket.Server.Features.Rampoffs.Deposits;

/// <summary>
/// Off-ramp deposit addresses, computed off chain exactly as <c>DepositFactory.depositAddress</c> computes them on chain
/// (chain/contracts/DepositFactory.sol): the CREATE2 address (EIP-1014) of a forwarder the factory would create for a
/// salt. Nothing is deployed and no key exists for the address; the factory's sweep reaches it later.
/// </summary>
public static class DepositAddresses
{
    /// <summary>
    /// The salt for an operation: keccak256 of its id's UTF-8 bytes, as <c>0x</c> and 64 hex digits. Derived from the
    /// id alone, so the address can always be recomputed and no two operations share one.
    /// </summary>
    public static string SaltFor(string operationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        return Hex.Data(Keccak256.Hash(Encoding.UTF8.GetBytes(operationId)));
    }

    /// <summary>
    /// keccak256(0xff ++ factory ++ salt ++ forwarderCodeHash)[12..], EIP-55 checksummed. The factory address may be
    /// written in any case (it comes from configuration, not from a customer); salt and code hash are 32 bytes each.
    /// </summary>
    public static string Compute(string factory, string salt, string forwarderCodeHash)
    {
        // ToChecksum checks the shape (40 hex digits) without refusing the zero address, which EIP-1014's examples use.
        var factoryBytes = Convert.FromHexString(EvmAddress.ToChecksum(factory).AsSpan(2));
        var preimage = new byte[1 + 20 + 32 + 32];
        preimage[0] = 0xff;
        factoryBytes.CopyTo(preimage, 1);
        Word(salt, nameof(salt)).CopyTo(preimage, 21);
        Word(forwarderCodeHash, nameof(forwarderCodeHash)).CopyTo(preimage, 53);
        return EvmAddress.ToChecksum(Convert.ToHexStringLower(Keccak256.Hash(preimage).AsSpan(12)));
    }

    private static byte[] Word(string hex, string name)
    {
        var bytes = Hex.ParseData(hex);
        return bytes.Length == 32 ? bytes : throw new ArgumentException("Expected 0x and 64 hex digits (32 bytes).", name);
    }
}
