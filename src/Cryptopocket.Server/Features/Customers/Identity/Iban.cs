using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Text;

namespace Cryptopocket.Server.Features.Customers.Identity;

/// <summary>IBAN validation per ISO 13616 (structure, per-country length, ISO 7064 MOD 97-10 checksum).</summary>
public static class Iban
{
    // Total IBAN length for every country in the SWIFT IBAN Registry (ISO 13616 registration authority), 2025.
    // Territories that use their parent's code (French overseas departments, Jersey, Åland...) are covered by it.
    private static readonly FrozenDictionary<string, int> LengthByCountry = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BI"] = 27, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24,
        ["DE"] = 22, ["DJ"] = 27, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18,
        ["FK"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27,
        ["GT"] = 28, ["HN"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26,
        ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20,
        ["LU"] = 20, ["LV"] = 21, ["LY"] = 25, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MN"] = 20,
        ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18, ["NO"] = 15, ["OM"] = 23, ["PK"] = 24,
        ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33, ["SA"] = 24,
        ["SC"] = 31, ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25,
        ["SV"] = 28, ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
        ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Validates an IBAN typed in electronic ("ES9121000418450200051332") or paper ("ES91 2100 0418 ...") format,
    /// in any case. <paramref name="normalized"/> receives the electronic format when valid, otherwise an empty string.
    /// </summary>
    public static bool IsValid(string input, out string normalized)
    {
        normalized = string.Empty;
        if (input is null)
        {
            return false;
        }

        var candidate = Compact(input);
        if (candidate.Length < 5
            || !char.IsAsciiLetterUpper(candidate[0])
            || !char.IsAsciiLetterUpper(candidate[1])
            || !char.IsAsciiDigit(candidate[2])
            || !char.IsAsciiDigit(candidate[3]))
        {
            return false;
        }

        if (!LengthByCountry.TryGetValue(candidate[..2], out var length) || candidate.Length != length)
        {
            return false;
        }

        foreach (var c in candidate.AsSpan(4))
        {
            if (!char.IsAsciiDigit(c) && !char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }

        // ISO 13616 only issues check digits 02..98. 00, 01 and 99 are congruent to 97, 98 and 02 modulo 97,
        // so they would satisfy the checksum alone.
        var checkDigits = ((candidate[2] - '0') * 10) + (candidate[3] - '0');
        if (checkDigits is < 2 or > 98 || Mod97(candidate) != 1)
        {
            return false;
        }

        normalized = candidate;
        return true;
    }

    /// <summary>Prints an IBAN in the paper format: upper case, groups of four separated by single spaces.</summary>
    public static string Format(string iban)
    {
        ArgumentNullException.ThrowIfNull(iban);

        var compact = Compact(iban);
        var builder = new StringBuilder(compact.Length + (compact.Length / 4));
        for (var i = 0; i < compact.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                builder.Append(' ');
            }

            builder.Append(compact[i]);
        }

        return builder.ToString();
    }

    // Whitespace (including no-break spaces pasted from bank statements) is dropped. Only ASCII letters are
    // upper-cased so that look-alike non-ASCII letters still fail validation instead of being folded into A-Z.
    private static string Compact(string input)
    {
        var builder = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(char.IsAsciiLetterLower(c) ? (char)(c - ('a' - 'A')) : c);
            }
        }

        return builder.ToString();
    }

    // ISO 7064 MOD 97-10: move the first four characters to the end, read letters as 10..35 and take the number
    // modulo 97. Folding the remainder one digit (or one two-digit letter) at a time keeps it below 97 * 100,
    // so no big-integer arithmetic is needed for the 30+ digit number.
    private static int Mod97(string iban)
    {
        var remainder = 0;
        for (var i = 0; i < iban.Length; i++)
        {
            var c = iban[(i + 4) % iban.Length];
            remainder = char.IsAsciiDigit(c)
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder;
    }
}
