using System.Globalization;
using System.Numerics;

namespace Cryptopocket.Server.Features.Settlement.Evm;

/// <summary>Ethereum JSON-RPC's hex encodings: quantities (<c>0x1a</c>, no leading zeros) and data (<c>0x…</c> bytes).</summary>
public static class Hex
{
    public static string Quantity(BigInteger value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return value.IsZero ? "0x0" : "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
    }

    public static BigInteger ParseQuantity(string? hex)
    {
        if (hex is null || !hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length < 3)
        {
            throw new FormatException($"'{hex}' is not a hex quantity.");
        }
        // A leading zero nibble keeps BigInteger from reading the top bit as a sign.
        return BigInteger.Parse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    public static string Data(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    public static byte[] ParseData(string hex)
    {
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length % 2 != 0)
        {
            throw new FormatException("Hex data must be 0x-prefixed with an even number of digits.");
        }
        return Convert.FromHexString(hex.AsSpan(2));
    }
}
