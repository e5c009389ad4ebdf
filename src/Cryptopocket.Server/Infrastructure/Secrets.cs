using System.Security.Cryptography;

namespace Cryptopocket.Server.Infrastructure;

public static class Secrets
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string LowerAlphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>25 characters [A-Za-z0-9] from a cryptographic generator: the documented payment/rampoff id form.</summary>
    public static string PublicId() => RandomNumberGenerator.GetString(Alphanumeric, 25);

    /// <summary>
    /// A token of at least 256 bits: 50 characters from a 36-letter alphabet carry 258 bits. Lowercase alphanumeric,
    /// like the documented example <c>auth</c> value, so it survives any header or URL unescaped.
    /// </summary>
    public static string Token(string prefix = "") => prefix + RandomNumberGenerator.GetString(LowerAlphanumeric, 50);

    public static string Sha256Hex(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));

    public static bool FixedTimeEqualsHex(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(a), System.Text.Encoding.ASCII.GetBytes(b));
}
