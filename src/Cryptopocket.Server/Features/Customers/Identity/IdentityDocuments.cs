using System;
using System.Buffers;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cryptopocket.Server.Features.Customers.Identity;

/// <summary>
/// Identification documents accepted per country, with the format and check-digit rules of each one.
/// Countries are keyed by ISO 3166-1 alpha-3 but alpha-2 codes are accepted too.
/// </summary>
public static partial class IdentityDocuments
{
    private const string TypeIsNotValidForCountry = "The identification type is not valid for the selected country.";

    // Spain
    private const string GovernmentId = "GOVERNMENT_ID";
    private const string PermanentResidencePermit = "PERMANENT_RESIDENCE_PERMIT";
    private const string Passport = "PASSPORT";
    private const string Cif = "CIF";

    // Chile
    private const string Rut = "RUT";

    // Mexico
    private const string Curp = "CURP";
    private const string Rfc = "RFC";

    // Colombia
    private const string CedulaCiudadania = "CED_CIU";
    private const string CedulaExtranjeria = "CED_EXT";
    private const string TarjetaIdentidad = "TI";
    private const string Nuip = "NUIP";
    private const string TarjetaExtranjeria = "TE";
    private const string PermisoProteccionTemporal = "PPT";
    private const string Pasaporte = "PASS";
    private const string PermisoEspecialPermanencia = "PEP";
    private const string RegistroCivil = "RC";
    private const string Nit = "NIT";

    // Peru and Argentina (DNI is shared by both, with different rules)
    private const string Dni = "DNI";
    private const string CarneExtranjeria = "CE";
    private const string Ruc = "RUC";
    private const string Cuit = "CUIT";

    private static readonly FrozenDictionary<string, string> Iso3ByCountryCode = new Dictionary<string, string>
    {
        ["ESP"] = "ESP", ["ES"] = "ESP",
        ["CHL"] = "CHL", ["CL"] = "CHL",
        ["MEX"] = "MEX", ["MX"] = "MEX",
        ["COL"] = "COL", ["CO"] = "COL",
        ["PER"] = "PER", ["PE"] = "PER",
        ["ARG"] = "ARG", ["AR"] = "ARG",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, ReadOnlyCollection<string>> TypesByIso3 =
        new Dictionary<string, ReadOnlyCollection<string>>
        {
            ["ESP"] = ReadOnly(GovernmentId, PermanentResidencePermit, Passport, Cif),
            ["CHL"] = ReadOnly(Rut),
            ["MEX"] = ReadOnly(Curp, Rfc),
            ["COL"] = ReadOnly(
                CedulaCiudadania, CedulaExtranjeria, TarjetaIdentidad, Nuip, TarjetaExtranjeria,
                PermisoProteccionTemporal, Pasaporte, PermisoEspecialPermanencia, RegistroCivil, Nit),
            ["PER"] = ReadOnly(Dni, CarneExtranjeria, Ruc),
            // CUIT covers both the CUIL of individuals and the CUIT of companies: same layout and check digit.
            ["ARG"] = ReadOnly(Dni, Cuit),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> KnownTypes = BuildKnownTypes();

    /// <summary>True when the ISO 3166-1 alpha-3 or alpha-2 code (any case) belongs to a supported country.</summary>
    public static bool IsSupportedCountry(string countryCode) => TryResolveIso3(countryCode, out _);

    /// <summary>Identification types accepted for the country, or an empty list when the country is not supported.</summary>
    public static IReadOnlyList<string> TypesFor(string countryCode) =>
        TryResolveIso3(countryCode, out var iso3) ? TypesByIso3[iso3] : [];

    /// <summary>
    /// Canonical stored form of an identification number: Unicode NFC, trimmed, upper-cased, and with spaces,
    /// dots and dashes removed (none of the supported formats uses them as significant characters, e.g. a RUT
    /// "12.345.678-5" is stored as "123456785", a NIT "900123456-8" as "9001234568").
    /// Numbers of unknown types are only trimmed and upper-cased.
    /// </summary>
    public static string Normalize(string type, string number)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(number);

        // NFC first so that an "Ñ" typed as N + combining tilde becomes the single code point the RFC alphabet uses.
        var canonical = number.Normalize(NormalizationForm.FormC).Trim().ToUpperInvariant();
        if (!KnownTypes.Contains(type.Trim()))
        {
            return canonical;
        }

        var builder = new StringBuilder(canonical.Length);
        foreach (var c in canonical)
        {
            if (!char.IsWhiteSpace(c) && c != '.' && c != '-')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Validates that the type belongs to the country and that the number satisfies the type's rules.</summary>
    public static IdentityCheck Validate(string countryCode, string identificationType, string number)
    {
        if (!TryResolveIso3(countryCode, out var iso3))
        {
            return IdentityCheck.Invalid("The selected country is not supported for identity verification.");
        }

        var type = identificationType?.Trim().ToUpperInvariant() ?? string.Empty;
        if (!TypesByIso3[iso3].Contains(type))
        {
            return IdentityCheck.Invalid(TypeIsNotValidForCountry);
        }

        if (string.IsNullOrWhiteSpace(number))
        {
            return IdentityCheck.Invalid("The identification number is required.");
        }

        var value = Normalize(type, number);
        return (iso3, type) switch
        {
            ("ESP", GovernmentId) => ValidateSpanishDni(value),
            ("ESP", PermanentResidencePermit) => ValidateSpanishNie(value),
            // Spanish passports in circulation are numbered 3 letters + 6 digits (e.g. "PAA000000"); with a 10-year
            // maximum validity, booklets with older numbering can no longer be presented, so no other layout is accepted.
            ("ESP", Passport) => SpanishPassportPattern().IsMatch(value)
                ? IdentityCheck.Valid
                : Invalid("Spanish passport number", "expected 3 letters followed by 6 digits"),
            ("ESP", Cif) => ValidateSpanishCif(value),
            ("CHL", Rut) => ValidateChileanRut(value),
            ("MEX", Curp) => ValidateMexicanCurp(value),
            ("MEX", Rfc) => ValidateMexicanRfc(value),
            // Colombian documents other than the NIT have no public check digit, so only the numbering issued by
            // the Registraduría and Migración Colombia is checked. Ranges are tolerant on purpose: cédulas were numbered
            // sequentially, so old ones are short, while NUIP-era documents have 10 digits.
            ("COL", CedulaCiudadania) => Digits(value, 3, 10, "Colombian cédula de ciudadanía"),
            ("COL", CedulaExtranjeria) => Digits(value, 3, 7, "Colombian cédula de extranjería"),
            ("COL", TarjetaIdentidad) => Digits(value, 10, 11, "Colombian tarjeta de identidad"),
            ("COL", Nuip) => Digits(value, 10, 10, "Colombian NUIP"),
            // Legacy foreigner card: mixed letters and digits.
            ("COL", TarjetaExtranjeria) => Alphanumeric(value, 3, 10, "Colombian tarjeta de extranjería"),
            ("COL", PermisoProteccionTemporal) => Digits(value, 4, 10, "Colombian PPT"),
            // Any nationality: ICAO 9303 gives the number up to 9 MRZ characters, some countries print longer ones.
            ("COL", Pasaporte) => Alphanumeric(value, 5, 12, "passport number"),
            ("COL", PermisoEspecialPermanencia) => Digits(value, 15, 15, "Colombian PEP"),
            // Older registros civiles carry a serial with letters, newer ones the 10/11-digit NUIP.
            ("COL", RegistroCivil) => Alphanumeric(value, 10, 11, "Colombian registro civil number"),
            ("COL", Nit) => ValidateColombianNit(value),
            ("PER", Dni) => Digits(value, 8, 8, "Peruvian DNI"),
            // Chosen rule: 9 digits, the numbering of the carné de extranjería issued by Migraciones.
            ("PER", CarneExtranjeria) => Digits(value, 9, 9, "Peruvian carné de extranjería"),
            ("PER", Ruc) => ValidatePeruvianRuc(value),
            ("ARG", Dni) => Digits(value, 7, 8, "Argentine DNI"),
            ("ARG", Cuit) => ValidateArgentineCuit(value),
            _ => IdentityCheck.Invalid(TypeIsNotValidForCountry),
        };
    }

    private static bool TryResolveIso3(string? countryCode, out string iso3)
    {
        if (countryCode is not null && Iso3ByCountryCode.TryGetValue(countryCode.Trim(), out var found))
        {
            iso3 = found;
            return true;
        }

        iso3 = string.Empty;
        return false;
    }

    private static ReadOnlyCollection<string> ReadOnly(params string[] types) => Array.AsReadOnly(types);

    private static FrozenSet<string> BuildKnownTypes()
    {
        var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var list in TypesByIso3.Values)
        {
            types.UnionWith(list);
        }

        return types.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    // ---------------------------------------------------------------- Spain

    // Ministerio del Interior: the control letter is this table indexed by the number modulo 23.
    private const string DniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

    private static IdentityCheck ValidateSpanishDni(string value)
    {
        const string document = "Spanish DNI";
        if (value.Length != 9 || !AllDigits(value.AsSpan(0, 8)) || !char.IsAsciiLetterUpper(value[8]))
        {
            return Invalid(document, "expected 8 digits followed by a letter");
        }

        var number = int.Parse(value.AsSpan(0, 8), NumberStyles.None, CultureInfo.InvariantCulture);
        return DniLetters[number % 23] == value[8] ? IdentityCheck.Valid : Invalid(document, "wrong control letter");
    }

    private static IdentityCheck ValidateSpanishNie(string value)
    {
        const string document = "Spanish NIE";
        var prefix = value.Length > 0 ? "XYZ".IndexOf(value[0], StringComparison.Ordinal) : -1;
        if (value.Length != 9 || prefix < 0 || !AllDigits(value.AsSpan(1, 7)) || !char.IsAsciiLetterUpper(value[8]))
        {
            return Invalid(document, "expected X, Y or Z, 7 digits and a letter");
        }

        // Ministerio del Interior rule: X, Y, Z stand for 0, 1, 2 and the DNI modulo-23 letter is applied to the
        // resulting 8-digit number.
        var number = (prefix * 10_000_000) + int.Parse(value.AsSpan(1, 7), NumberStyles.None, CultureInfo.InvariantCulture);
        return DniLetters[number % 23] == value[8] ? IdentityCheck.Valid : Invalid(document, "wrong control letter");
    }

    private static IdentityCheck ValidateSpanishCif(string value)
    {
        const string document = "Spanish CIF";

        // Organisation letters from Orden EHA/451/2008 (K, L, M are personal NIFs, not companies).
        if (value.Length != 9
            || !"ABCDEFGHJNPQRSUVW".Contains(value[0], StringComparison.Ordinal)
            || !AllDigits(value.AsSpan(1, 7)))
        {
            return Invalid(document, "expected an organisation letter, 7 digits and a control character");
        }

        // Digits in even positions are added as-is; digits in odd positions are doubled and their digits added.
        var sum = 0;
        for (var i = 0; i < 7; i++)
        {
            var digit = value[i + 1] - '0';
            sum += i % 2 == 1 ? digit : ((2 * digit) / 10) + ((2 * digit) % 10);
        }

        var control = (10 - (sum % 10)) % 10;
        var asDigit = (char)('0' + control);
        var asLetter = "JABCDEFGHI"[control];

        var matches = value[0] switch
        {
            // Foreign entities (N), local corporations (P), public bodies (Q), religious congregations (R),
            // State administration bodies (S) and permanent establishments of non-residents (W) use the letter.
            'N' or 'P' or 'Q' or 'R' or 'S' or 'W' => value[8] == asLetter,
            // Sociedades anónimas (A), limitadas (B), comunidades de bienes (E) and de propietarios (H) use the digit.
            'A' or 'B' or 'E' or 'H' => value[8] == asDigit,
            _ => value[8] == asDigit || value[8] == asLetter,
        };

        return matches ? IdentityCheck.Valid : Invalid(document, "wrong control character");
    }

    // ---------------------------------------------------------------- Chile

    private static IdentityCheck ValidateChileanRut(string value)
    {
        const string document = "Chilean RUT";
        if (value.Length is < 2 or > 9
            || !AllDigits(value.AsSpan(0, value.Length - 1))
            || !(char.IsAsciiDigit(value[^1]) || value[^1] == 'K'))
        {
            return Invalid(document, "expected up to 8 digits followed by a check digit or K");
        }

        // Modulo 11 with weights 2..7 repeating from the rightmost body digit (Servicio de Registro Civil e
        // Identificación); 11 maps to 0 and 10 to K.
        var sum = 0;
        var weight = 2;
        for (var i = value.Length - 2; i >= 0; i--)
        {
            sum += (value[i] - '0') * weight;
            weight = weight == 7 ? 2 : weight + 1;
        }

        var check = (11 - (sum % 11)) switch
        {
            11 => '0',
            10 => 'K',
            var digit => (char)('0' + digit),
        };

        return value[^1] == check ? IdentityCheck.Valid : Invalid(document, "wrong check digit");
    }

    // ---------------------------------------------------------------- Mexico

    // RENAPO state codes, including NE (nacido en el extranjero). Mexico City keeps "DF" in CURPs.
    private static readonly FrozenSet<string> CurpStates = FrozenSet.Create(
        StringComparer.Ordinal,
        "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN", "MS",
        "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE");

    // RENAPO check-digit alphabet: the value of a character is its index (Ñ sits between N and O).
    private const string CurpAlphabet = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";

    // SAT check-digit alphabet: '&' sits between N and O, the padding space is 37 and Ñ is 38.
    private const string RfcAlphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";

    private static IdentityCheck ValidateMexicanCurp(string value)
    {
        const string document = "Mexican CURP";
        var match = CurpPattern().Match(value);
        if (!match.Success)
        {
            return Invalid(document, "expected 18 characters in the official CURP layout");
        }

        if (!CurpStates.Contains(match.Groups["state"].Value))
        {
            return Invalid(document, "unknown state code");
        }

        // The 17th character (homoclave) is a digit for people born up to 1999 and a letter from 2000 on,
        // which is what disambiguates the century of the two-digit year.
        var century = char.IsAsciiDigit(match.Groups["homoclave"].ValueSpan[0]) ? 1900 : 2000;
        if (!IsValidDate(century, match.Groups["date"].ValueSpan))
        {
            return Invalid(document, "invalid date of birth");
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += CurpAlphabet.IndexOf(value[i], StringComparison.Ordinal) * (18 - i);
        }

        var check = (char)('0' + ((10 - (sum % 10)) % 10));
        return value[17] == check ? IdentityCheck.Valid : Invalid(document, "wrong check digit");
    }

    private static IdentityCheck ValidateMexicanRfc(string value)
    {
        const string document = "Mexican RFC";

        // SAT's generic RFCs for "público en general" and foreigners are placeholders shared by everybody, so they
        // never identify a customer (XEXX010101000 even happens to satisfy the check digit).
        if (value is "XAXX010101000" or "XEXX010101000")
        {
            return IdentityCheck.Invalid("The identification number is a generic RFC and does not identify a taxpayer.");
        }

        var match = RfcPattern().Match(value);
        if (!match.Success)
        {
            return Invalid(document, "expected 4 letters (3 for companies), a YYMMDD date and a 3-character homoclave");
        }

        // The RFC gives no hint of the century; a 2000-based year accepts 29 February exactly when 19YY or 20YY would.
        if (!IsValidDate(2000, match.Groups["date"].ValueSpan))
        {
            return Invalid(document, "invalid date");
        }

        // SAT algorithm: 12-character (company) RFCs are left-padded with a space so both layouts weigh 13..2.
        var padded = value.Length == 12 ? " " + value : value;
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += RfcAlphabet.IndexOf(padded[i], StringComparison.Ordinal) * (13 - i);
        }

        var remainder = sum % 11;
        var check = remainder switch
        {
            0 => '0',
            1 => 'A',
            _ => (char)('0' + (11 - remainder)),
        };

        return value[^1] == check ? IdentityCheck.Valid : Invalid(document, "wrong check digit");
    }

    private static bool IsValidDate(int century, ReadOnlySpan<char> yymmdd)
    {
        var year = century + ((yymmdd[0] - '0') * 10) + (yymmdd[1] - '0');
        var month = ((yymmdd[2] - '0') * 10) + (yymmdd[3] - '0');
        var day = ((yymmdd[4] - '0') * 10) + (yymmdd[5] - '0');
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    // ---------------------------------------------------------------- Colombia

    // DIAN verification digit ("dígito de verificación"): modulo 11 with these prime weights applied from the
    // rightmost digit of the NIT body.
    private static readonly int[] NitWeights = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

    private static IdentityCheck ValidateColombianNit(string value)
    {
        const string document = "Colombian NIT";

        // Company NITs: 9-digit body plus the DIAN verification digit ("900123456-8" or "9001234568").
        if (value.Length != 10 || !AllDigits(value))
        {
            return Invalid(document, "expected 9 digits followed by the verification digit");
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (value[8 - i] - '0') * NitWeights[i];
        }

        var remainder = sum % 11;
        var check = remainder is 0 or 1 ? remainder : 11 - remainder;
        return value[9] - '0' == check ? IdentityCheck.Valid : Invalid(document, "wrong verification digit");
    }

    // ---------------------------------------------------------------- Peru and Argentina

    // SUNAT's RUC and AFIP's CUIT/CUIL share the same modulo-11 weights over the first 10 digits.
    private static readonly int[] Modulo11Weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

    private static IdentityCheck ValidatePeruvianRuc(string value)
    {
        const string document = "Peruvian RUC";
        if (value.Length != 11 || !AllDigits(value))
        {
            return Invalid(document, "expected 11 digits");
        }

        // 10 individuals with a DNI, 15/16/17 other categories of individuals, 20 legal entities.
        if (value.AsSpan(0, 2) is not ("10" or "15" or "16" or "17" or "20"))
        {
            return Invalid(document, "unknown taxpayer type prefix");
        }

        var check = (11 - (WeightedSum(value) % 11)) switch
        {
            10 => 0,
            11 => 1,
            var digit => digit,
        };

        return value[10] - '0' == check ? IdentityCheck.Valid : Invalid(document, "wrong check digit");
    }

    private static IdentityCheck ValidateArgentineCuit(string value)
    {
        const string document = "Argentine CUIT/CUIL";
        if (value.Length != 11 || !AllDigits(value))
        {
            return Invalid(document, "expected 11 digits");
        }

        // 20/23/24/27 individuals (CUIL or CUIT), 30/33/34 legal entities.
        if (value.AsSpan(0, 2) is not ("20" or "23" or "24" or "27" or "30" or "33" or "34"))
        {
            return Invalid(document, "unknown type prefix");
        }

        var check = 11 - (WeightedSum(value) % 11);
        if (check == 11)
        {
            check = 0;
        }

        // A result of 10 has no valid digit: AFIP re-issues such numbers with prefix 23/33 instead,
        // so any number that still computes to 10 cannot exist.
        return check != 10 && value[10] - '0' == check ? IdentityCheck.Valid : Invalid(document, "wrong check digit");
    }

    private static int WeightedSum(string value)
    {
        var sum = 0;
        for (var i = 0; i < Modulo11Weights.Length; i++)
        {
            sum += (value[i] - '0') * Modulo11Weights[i];
        }

        return sum;
    }

    // ---------------------------------------------------------------- helpers

    private static IdentityCheck Invalid(string document, string reason) =>
        IdentityCheck.Invalid($"The identification number is not a valid {document} ({reason}).");

    private static IdentityCheck Digits(string value, int minLength, int maxLength, string document) =>
        value.Length >= minLength && value.Length <= maxLength && AllDigits(value)
            ? IdentityCheck.Valid
            : Invalid(document, $"expected {LengthText(minLength, maxLength)} digits");

    private static IdentityCheck Alphanumeric(string value, int minLength, int maxLength, string document) =>
        value.Length >= minLength && value.Length <= maxLength && !value.AsSpan().ContainsAnyExcept(AsciiAlphanumerics)
            ? IdentityCheck.Valid
            : Invalid(document, $"expected {LengthText(minLength, maxLength)} letters or digits");

    private static readonly SearchValues<char> AsciiAlphanumerics =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static string LengthText(int minLength, int maxLength) =>
        minLength == maxLength
            ? minLength.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{minLength} to {maxLength}");

    // Char-by-char because "\d" and char.IsDigit would also accept non-ASCII digits such as Arabic-Indic ones.
    private static bool AllDigits(ReadOnlySpan<char> value) => !value.IsEmpty && !value.ContainsAnyExceptInRange('0', '9');

    [GeneratedRegex("^[A-Z]{3}[0-9]{6}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SpanishPassportPattern();

    // RENAPO layout: initials, YYMMDD, sex (H, M, or X for non-binary people), state, first internal consonants
    // of surnames and name, homoclave, check digit. Ñ never appears (RENAPO writes it as X).
    [GeneratedRegex(
        "^[A-Z]{4}(?<date>[0-9]{6})[HMX](?<state>[A-Z]{2})[B-DF-HJ-NP-TV-Z]{3}(?<homoclave>[A-Z0-9])[0-9]\\z",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex CurpPattern();

    // Persona moral: 3 characters of the company name (may contain & and Ñ); persona física: 4 letters of the name.
    [GeneratedRegex(
        "^(?:[A-ZÑ&]{3}|[A-ZÑ]{4})(?<date>[0-9]{6})[A-Z0-9]{2}[0-9A]\\z",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex RfcPattern();
}
