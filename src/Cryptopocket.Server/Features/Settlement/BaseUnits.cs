using System.Globalization;
using System.Numerics;

namespace Cryptopocket.Server.Features.Settlement;

/// <summary>Exact conversion between an asset amount (decimal) and its base units (uint256): no floating point anywhere.</summary>
public static class BaseUnits
{
    public static BigInteger From(decimal amount, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (decimal.Round(amount, decimals) != amount)
        {
            throw new ArgumentException($"{amount} has more than {decimals} decimal places.", nameof(amount));
        }
        var text = amount.ToString(CultureInfo.InvariantCulture);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        // A decimal keeps its scale (PostgreSQL's numeric(38,18) gives 108.043478000000000000): drop the zeros first.
        var fraction = point < 0 ? "" : text[(point + 1)..].TrimEnd('0');
        return BigInteger.Parse(whole + fraction.PadRight(decimals, '0'), CultureInfo.InvariantCulture);
    }

    public static decimal ToAmount(BigInteger baseUnits, int decimals) =>
        (decimal)baseUnits / (decimal)BigInteger.Pow(10, decimals);
}
