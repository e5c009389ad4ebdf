using System.Globalization;
using System.Numerics;

namespace Cryptopocket.Client;

/// <summary>
/// Reads coin amounts sent in base units (a whole-number string with the coin's <c>decimals</c>) exactly. A value the
/// contract does not allow throws <see cref="FormatException"/>, as in <see cref="WireConversions"/>.
/// </summary>
internal static class BaseUnits
{
    private const int MaxScale = 28;

    // An ERC-20 token's decimals are a uint8; anything larger is not a coin, and 10^decimals must stay cheap to compute.
    private const int MaxDecimals = byte.MaxValue;

    private static readonly BigInteger MaxMantissa = new(decimal.MaxValue);

    public static BigInteger Parse(string? value, string field)
    {
        if (value is null)
        {
            throw new FormatException($"The answer has no '{field}'.");
        }
        // Digits only: a sign, a decimal point, an exponent or spaces mean the server did not send base units.
        return value.Length > 0 && BigInteger.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var units)
            ? units
            : throw new FormatException($"The answer's '{field}' is not a base-unit string.");
    }

    public static int Decimals(int decimals) =>
        decimals is >= 0 and <= MaxDecimals
            ? decimals
            : throw new FormatException($"The answer's 'decimals' is not between 0 and {MaxDecimals}.");

    /// <summary>
    /// <paramref name="units"/> / 10^<paramref name="decimals"/> as a <see cref="decimal"/> built from its mantissa and
    /// scale, so no arithmetic rounds it; digits beyond what a decimal holds are cut off toward zero.
    /// </summary>
    public static decimal ToCoins(BigInteger units, int decimals, string field)
    {
        var scale = decimals;
        var mantissa = units;
        if (scale > MaxScale)
        {
            mantissa /= BigInteger.Pow(10, scale - MaxScale);
            scale = MaxScale;
        }
        if (mantissa > MaxMantissa)
        {
            if (mantissa / BigInteger.Pow(10, scale) > MaxMantissa)
            {
                throw new FormatException($"The answer's '{field}' is beyond what a decimal holds.");
            }
            // The whole part fits, so at most 28 digits are dropped before the mantissa does.
            while (mantissa > MaxMantissa)
            {
                mantissa /= 10;
                scale--;
            }
        }
        var low = (int)(uint)(mantissa & uint.MaxValue);
        var middle = (int)(uint)((mantissa >> 32) & uint.MaxValue);
        var high = (int)(uint)(mantissa >> 64);
        return new decimal(low, middle, high, isNegative: false, (byte)scale);
    }
}
