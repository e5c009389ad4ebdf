using System.Globalization;

namespace Cryptopocket.Server.Infrastructure;

public static class Money
{
    /// <summary>A decimal string with exactly <paramref name="scale"/> places, invariant culture, never exponent form.</summary>
    public static string Format(decimal amount, int scale) =>
        decimal.Round(amount, scale, MidpointRounding.ToZero).ToString("F" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Fiat(decimal amount) => Format(amount, 2);
}
