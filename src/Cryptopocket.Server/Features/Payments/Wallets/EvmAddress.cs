using System.Buffers;

namespace Cryptopocket.Server.Features.Payments.Wallets;

/// <summary>The outcome of checking a payout address; <see cref="Normalized"/> is the EIP-55 form when valid.</summary>
public readonly record struct EvmAddressCheck(bool IsValid, string? Normalized, string? Error);

/// <summary>
/// Checks the EVM addresses customers ask coins to be sent to. An address is the last 20 bytes of a Keccak-256 of
/// a public key (Ethereum Yellow Paper, eq. 284), written as 0x and 40 hex digits. EIP-55 hides a checksum in the
/// case of its letters, which is the only protection against a mistyped address: a typo there sends the coins to
/// an account nobody holds the key for, and on-chain payments cannot be reversed.
/// </summary>
public static class EvmAddress
{
    public const string RequiredError = "The wallet field is required.";
    public const string FormatError = "The wallet field must be a 0x-prefixed 20-byte hexadecimal address.";
    public const string ChecksumError = "The wallet address has an invalid EIP-55 checksum.";
    public const string ZeroAddressError = "The wallet address must not be the zero address.";

    private const int HexLength = 40;
    private const string Prefix = "0x";

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public static EvmAddressCheck Validate(string? input)
    {
        // Mirrors Laravel's TrimStrings + ConvertEmptyStringsToNull, where a blank field fails "required";
        // any other surrounding whitespace is refused below rather than trimmed, so what is stored is what was typed.
        if (string.IsNullOrWhiteSpace(input))
        {
            return Invalid(RequiredError);
        }

        // EIP-55 and the JSON-RPC spec write addresses with a lowercase "0x"; "0X" is not produced by any wallet.
        if (input.Length != Prefix.Length + HexLength || !input.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Invalid(FormatError);
        }

        var hex = input.AsSpan(Prefix.Length);
        var hasLower = false;
        var hasUpper = false;
        var allZero = true;
        foreach (var c in hex)
        {
            // ASCII only: char.IsAsciiHexDigit refuses look-alikes such as full-width digits.
            if (!char.IsAsciiHexDigit(c))
            {
                return Invalid(FormatError);
            }

            hasLower |= c is >= 'a' and <= 'f';
            hasUpper |= c is >= 'A' and <= 'F';
            allZero &= c == '0';
        }

        // 0x00…00 is a valid account that no one controls: coins sent there are burned. It is also what an
        // uninitialised field serialises to, so refusing it catches a client bug as well as a user mistake.
        if (allZero)
        {
            return Invalid(ZeroAddressError);
        }

        var checksummed = ToChecksum(input);

        // EIP-55: an address in a single case carries no checksum and is accepted as-is (wallets that predate
        // EIP-55 emit lowercase); mixed case is a checksum claim and must match exactly, letter for letter.
        if (hasLower && hasUpper && !string.Equals(input, checksummed, StringComparison.Ordinal))
        {
            return Invalid(ChecksumError);
        }

        return new EvmAddressCheck(true, checksummed, null);
    }

    /// <summary>
    /// Returns the EIP-55 mixed-case form of a 20-byte address given as 40 hex digits, with or without "0x".
    /// The input's own letter case is ignored: this computes a checksum, it does not verify one.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not 40 hex digits after an optional "0x".</exception>
    public static string ToChecksum(string address40HexOrWith0x)
    {
        ArgumentNullException.ThrowIfNull(address40HexOrWith0x);

        var hex = address40HexOrWith0x.AsSpan();
        if (hex.StartsWith(Prefix, StringComparison.Ordinal))
        {
            hex = hex[Prefix.Length..];
        }

        if (hex.Length != HexLength || hex.ContainsAnyExcept(HexDigits))
        {
            throw new ArgumentException(
                "The address must be 40 hexadecimal digits, optionally prefixed with 0x.", nameof(address40HexOrWith0x));
        }

        // EIP-55: hash the lowercase hex as ASCII text (not the 20 raw bytes), then upper-case the i-th hex letter
        // when the i-th nibble of the hash is 8 or more, i.e. its high bit is set.
        Span<byte> lowerAscii = stackalloc byte[HexLength];
        for (var i = 0; i < HexLength; i++)
        {
            lowerAscii[i] = (byte)char.ToLowerInvariant(hex[i]);
        }

        Span<byte> hash = stackalloc byte[Keccak256.HashSizeInBytes];
        Keccak256.Hash(lowerAscii, hash);

        Span<char> result = stackalloc char[Prefix.Length + HexLength];
        Prefix.CopyTo(result);
        for (var i = 0; i < HexLength; i++)
        {
            var c = (char)lowerAscii[i];
            // Nibble i is the high nibble of byte i/2 for even i, the low nibble for odd i.
            var nibble = (i & 1) == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0F;
            result[Prefix.Length + i] = c is >= 'a' and <= 'f' && nibble >= 8 ? char.ToUpperInvariant(c) : c;
        }

        return new string(result);
    }

    private static EvmAddressCheck Invalid(string error) => new(false, null, error);
}
