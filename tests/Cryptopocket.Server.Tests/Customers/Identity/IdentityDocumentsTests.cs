using System;
using Cryptopocket.Server.Features.Customers.Identity;
using Xunit;

namespace Cryptopocket.Server.Tests.Customers.Identity;

// Every check-digit vector below was computed with an independent implementation of the algorithm cited in
// IdentityDocuments; the ones with their arithmetic in a trailing comment were also worked out by hand.
// Numbers of real public bodies (AEAT, SAT, DIAN, SUNAT, AFIP) and documentation examples are marked as such.
public sealed class IdentityDocumentsTests
{
    private static void AssertValid(string country, string type, string number)
    {
        var result = IdentityDocuments.Validate(country, type, number);
        Assert.True(result.IsValid, $"{type} '{number}' should be valid for {country}: {result.Error}");
        Assert.Null(result.Error);
    }

    private static IdentityCheck AssertInvalid(string country, string type, string number)
    {
        var result = IdentityDocuments.Validate(country, type, number);
        Assert.False(result.IsValid, $"{type} '{number}' should be invalid for {country}");
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        return result;
    }

    // ------------------------------------------------------------------ country table

    [Theory]
    [InlineData("ESP")]
    [InlineData("es")]
    [InlineData("Chl")]
    [InlineData("mx")]
    [InlineData("COL")]
    [InlineData("pe")]
    [InlineData("ARG")]
    [InlineData(" AR ")]
    public void SupportedCountryAcceptsIso3AndIso2InAnyCase(string code)
    {
        Assert.True(IdentityDocuments.IsSupportedCountry(code));
    }

    [Theory]
    [InlineData("BRA")]
    [InlineData("US")]
    [InlineData("")]
    [InlineData("E")]
    [InlineData("ESPA")]
    public void SupportedCountryRejectsOtherCodes(string code)
    {
        Assert.False(IdentityDocuments.IsSupportedCountry(code));
    }

    [Fact]
    public void TypesForSpainListsDniNiePassportAndCif()
    {
        Assert.Equal(["GOVERNMENT_ID", "PERMANENT_RESIDENCE_PERMIT", "PASSPORT", "CIF"], IdentityDocuments.TypesFor("ES"));
    }

    [Fact]
    public void TypesForEachCountryMatchesTheTable()
    {
        Assert.Equal(["RUT"], IdentityDocuments.TypesFor("CHL"));
        Assert.Equal(["CURP", "RFC"], IdentityDocuments.TypesFor("mex"));
        Assert.Equal(
            ["CED_CIU", "CED_EXT", "TI", "NUIP", "TE", "PPT", "PASS", "PEP", "RC", "NIT"],
            IdentityDocuments.TypesFor("CO"));
        Assert.Equal(["DNI", "CE", "RUC"], IdentityDocuments.TypesFor("PER"));
        Assert.Equal(["DNI", "CUIT"], IdentityDocuments.TypesFor("ar"));
    }

    [Fact]
    public void TypesForUnsupportedCountryIsEmpty()
    {
        Assert.Empty(IdentityDocuments.TypesFor("BRA"));
    }

    [Theory]
    [InlineData("ESP", "RUT", "11.111.111-1")]
    [InlineData("ARG", "CURP", "HEGG560427MVZRRL04")]
    [InlineData("ESP", "DNI", "12345678Z")]
    [InlineData("PER", "GOVERNMENT_ID", "12345678")]
    [InlineData("COL", "PASSPORT", "AB123456")]
    [InlineData("PER", "NIT", "900123456-8")]
    [InlineData("MEX", "CUIT", "20-12345678-6")]
    [InlineData("CHL", "", "11.111.111-1")]
    public void TypeFromAnotherCountryIsRejected(string country, string type, string number)
    {
        var result = AssertInvalid(country, type, number);
        Assert.Equal("The identification type is not valid for the selected country.", result.Error);
    }

    [Fact]
    public void UnsupportedCountryIsRejected()
    {
        var result = AssertInvalid("BRA", "CPF", "12345678909");
        Assert.Equal("The selected country is not supported for identity verification.", result.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyNumberIsRequired(string number)
    {
        var result = AssertInvalid("ESP", "GOVERNMENT_ID", number);
        Assert.Equal("The identification number is required.", result.Error);
    }

    [Fact]
    public void TypeCodeIsCaseInsensitive()
    {
        AssertValid("es", "government_id", "12345678Z");
    }

    // ------------------------------------------------------------------ normalization

    [Theory]
    [InlineData("RUT", "12.345.678-k", "12345678K")]
    [InlineData("NIT", "900.123.456-8", "9001234568")]
    [InlineData("GOVERNMENT_ID", " 12345678-z ", "12345678Z")]
    [InlineData("CUIT", "20-12345678-6", "20123456786")]
    [InlineData("RFC", "gode-561231-gr8", "GODE561231GR8")]
    [InlineData("RFC", "año990101ab1", "AÑO990101AB1")]
    [InlineData("RFC", "AN\u0303O990101AB1", "AÑO990101AB1")]
    [InlineData("PASSPORT", "paa 123456", "PAA123456")]
    [InlineData("UNKNOWN", " ab-c.d ", "AB-C.D")]
    public void NormalizeProducesCanonicalStoredForm(string type, string number, string expected)
    {
        Assert.Equal(expected, IdentityDocuments.Normalize(type, number));
    }

    // ------------------------------------------------------------------ Spain: DNI

    [Theory]
    [InlineData("12345678Z")] // 12345678 mod 23 = 14 -> Z
    [InlineData("00000000T")] // 0 -> T
    [InlineData("99999999R")] // 99999999 mod 23 = 1 -> R
    [InlineData("12.345.678-z")]
    [InlineData("12345678 Z")]
    public void SpanishDniAcceptsCorrectControlLetter(string number)
    {
        AssertValid("ESP", "GOVERNMENT_ID", number);
    }

    [Theory]
    [InlineData("12345678A")]
    [InlineData("00000000R")]
    [InlineData("99999999T")]
    public void SpanishDniRejectsWrongControlLetter(string number)
    {
        var result = AssertInvalid("ESP", "GOVERNMENT_ID", number);
        Assert.Equal("The identification number is not a valid Spanish DNI (wrong control letter).", result.Error);
    }

    [Theory]
    [InlineData("1234567Z")]
    [InlineData("123456789")]
    [InlineData("Z12345678")]
    [InlineData("12345678ZZ")]
    [InlineData("١٢٣٤٥٦٧٨Z")] // Arabic-Indic digits must not pass as 0-9
    public void SpanishDniRejectsWrongFormat(string number)
    {
        var result = AssertInvalid("ESP", "GOVERNMENT_ID", number);
        Assert.Contains("expected 8 digits followed by a letter", result.Error, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ Spain: NIE

    [Theory]
    [InlineData("X1234567L")] // 01234567 mod 23 = 19 -> L
    [InlineData("Y1234567X")] // 11234567 mod 23 = 10 -> X
    [InlineData("Z1234567R")] // 21234567 mod 23 = 1 -> R
    [InlineData("x-1234567-l")]
    public void SpanishNieAcceptsCorrectControlLetter(string number)
    {
        AssertValid("ESP", "PERMANENT_RESIDENCE_PERMIT", number);
    }

    [Theory]
    [InlineData("X1234567A")]
    [InlineData("Y1234567L")]
    [InlineData("Z1234567T")]
    public void SpanishNieRejectsWrongControlLetter(string number)
    {
        var result = AssertInvalid("ESP", "PERMANENT_RESIDENCE_PERMIT", number);
        Assert.Contains("wrong control letter", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("W1234567L")]
    [InlineData("X123456L")]
    [InlineData("X12345678L")]
    [InlineData("12345678Z")]
    public void SpanishNieRejectsWrongFormat(string number)
    {
        AssertInvalid("ESP", "PERMANENT_RESIDENCE_PERMIT", number);
    }

    // ------------------------------------------------------------------ Spain: passport

    [Theory]
    [InlineData("PAA000000")]
    [InlineData("XDA123456")]
    [InlineData("paa 123456")]
    public void SpanishPassportAcceptsThreeLettersAndSixDigits(string number)
    {
        AssertValid("ESP", "PASSPORT", number);
    }

    [Theory]
    [InlineData("AB123456")]
    [InlineData("AAA12345")]
    [InlineData("AAA1234567")]
    [InlineData("123456789")]
    [InlineData("AAAA12345")]
    public void SpanishPassportRejectsOtherLayouts(string number)
    {
        AssertInvalid("ESP", "PASSPORT", number);
    }

    // ------------------------------------------------------------------ Spain: CIF

    [Theory]
    [InlineData("A58818501")] // common documentation example; even 8+1+5=14, odd 1+7+7+0=15, (10-9)%10 = 1
    [InlineData("Q2826000H")] // Agencia Tributaria; even 14, odd 8, control 8 -> H
    [InlineData("B12345674")] // control 4, B always uses the digit
    [InlineData("P1234567D")] // control 4 -> D, P always uses the letter
    [InlineData("G12345674")] // G accepts the digit...
    [InlineData("G1234567D")] // ...or the letter
    [InlineData("b-12345674")]
    public void SpanishCifAcceptsCorrectControlCharacter(string number)
    {
        AssertValid("ESP", "CIF", number);
    }

    [Theory]
    [InlineData("A58818502")] // wrong digit
    [InlineData("Q2826000G")] // wrong letter
    [InlineData("B1234567D")] // right value but a letter where the digit is mandatory
    [InlineData("P12345674")] // right value but a digit where the letter is mandatory
    public void SpanishCifRejectsWrongControlCharacter(string number)
    {
        var result = AssertInvalid("ESP", "CIF", number);
        Assert.Contains("wrong control character", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I12345674")]
    [InlineData("K1234567D")]
    [InlineData("A5881850")]
    [InlineData("12345678Z")]
    public void SpanishCifRejectsWrongFormat(string number)
    {
        AssertInvalid("ESP", "CIF", number);
    }

    // ------------------------------------------------------------------ Chile: RUT

    [Theory]
    [InlineData("11.111.111-1")] // 1*(2+3+4+5+6+7+2+3)=32, 11-32%11 = 1
    [InlineData("76.086.428-5")] // sum 149, 11-6 = 5
    [InlineData("12.345.678-5")]
    [InlineData("6-K")] // 6*2=12, 11-1 = 10 -> K
    [InlineData("10000013-k")] // sum 12 -> K, lower case accepted
    [InlineData("1.000.013-0")] // sum 11, 11-0 = 11 -> 0
    [InlineData("123456785")] // no separators
    public void ChileanRutAcceptsCorrectCheckDigit(string number)
    {
        AssertValid("CHL", "RUT", number);
    }

    [Theory]
    [InlineData("11.111.111-2")]
    [InlineData("76.086.428-K")]
    [InlineData("12.345.678-0")]
    [InlineData("6-0")]
    public void ChileanRutRejectsWrongCheckDigit(string number)
    {
        var result = AssertInvalid("CHL", "RUT", number);
        Assert.Equal("The identification number is not a valid Chilean RUT (wrong check digit).", result.Error);
    }

    [Theory]
    [InlineData("123.456.789-0")]
    [InlineData("12.345.678-X")]
    [InlineData("-5")]
    [InlineData("K-5")]
    public void ChileanRutRejectsWrongFormat(string number)
    {
        AssertInvalid("CHL", "RUT", number);
    }

    // ------------------------------------------------------------------ Mexico: CURP

    [Theory]
    [InlineData("HEGG560427MVZRRL04")] // RENAPO documentation example; weighted sum 2246 -> 4
    [InlineData("GOPA950101HDFRRN02")] // sum 2128 -> 2
    [InlineData("MOLA000229MNLRPNA4")] // letter homoclave -> 2000-02-29, a leap day; sum 2226 -> 4
    [InlineData("GOPA950101XDFRRN06")] // non-binary sex marker X
    [InlineData("SMTJ850315HNERRN02")] // NE: born abroad
    [InlineData("hegg560427mvzrrl04")]
    public void MexicanCurpAcceptsValidKey(string number)
    {
        AssertValid("MEX", "CURP", number);
    }

    [Theory]
    [InlineData("HEGG560427MVZRRL05")]
    [InlineData("GOPA950101HDFRRN03")]
    public void MexicanCurpRejectsWrongCheckDigit(string number)
    {
        var result = AssertInvalid("MEX", "CURP", number);
        Assert.Contains("wrong check digit", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MOLA000229MNLRPN04")] // digit homoclave -> 1900-02-29, which did not exist (check digit is right)
    [InlineData("GOPA951301HDFRRN08")] // month 13 (check digit is right)
    public void MexicanCurpRejectsInvalidDateOfBirth(string number)
    {
        var result = AssertInvalid("MEX", "CURP", number);
        Assert.Contains("invalid date of birth", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MexicanCurpRejectsUnknownStateCode()
    {
        var result = AssertInvalid("MEX", "CURP", "GOPA950101HZZRRN05"); // check digit is right for ZZ
        Assert.Contains("unknown state code", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HEGG560427MVZRRL0")] // 17 characters
    [InlineData("HEGG560427MVZARL04")] // vowel where a consonant is required
    [InlineData("HEGG560427QVZRRL04")] // sex must be H, M or X
    [InlineData("HEGG560427MVZRRL0A")] // check character must be a digit
    public void MexicanCurpRejectsWrongLayout(string number)
    {
        var result = AssertInvalid("MEX", "CURP", number);
        Assert.Contains("official CURP layout", result.Error, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ Mexico: RFC

    [Theory]
    [InlineData("GODE561231GR8")] // SAT documentation example; sum 1026, 1026%11=3 -> 8
    [InlineData("SAT970701NN3")] // Servicio de Administración Tributaria; padded sum 1537 -> 3
    [InlineData("WMT970714R10")] // Walmart de México; padded sum 1705, remainder 0 -> '0'
    [InlineData("GODE561231AEA")] // sum 980, remainder 1 -> 'A'
    [InlineData("ABC010101ACA")] // company, padded sum 914, remainder 1 -> 'A'
    [InlineData("M&M840101AB2")] // company name with '&' (value 24)
    [InlineData("AÑO990101AB1")] // company name with 'Ñ' (value 38)
    [InlineData("GODE000229GR4")] // 29 February 2000
    [InlineData("gode-561231-gr8")]
    [InlineData("año990101ab1")]
    public void MexicanRfcAcceptsValidKey(string number)
    {
        AssertValid("MEX", "RFC", number);
    }

    [Theory]
    [InlineData("GODE561231GR9")]
    [InlineData("SAT970701NN4")]
    [InlineData("WMT970714R1A")]
    public void MexicanRfcRejectsWrongCheckDigit(string number)
    {
        var result = AssertInvalid("MEX", "RFC", number);
        Assert.Contains("wrong check digit", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("XAXX010101000")] // would even fail the check digit (it computes 4)
    [InlineData("XEXX010101000")] // passes the check digit by coincidence
    public void MexicanRfcRejectsGenericSatRfc(string number)
    {
        var result = AssertInvalid("MEX", "RFC", number);
        Assert.Contains("generic RFC", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GODE560230GR8")] // 30 February (check digit is right)
    [InlineData("GODE561331GR2")] // month 13 (check digit is right)
    public void MexicanRfcRejectsInvalidDate(string number)
    {
        var result = AssertInvalid("MEX", "RFC", number);
        Assert.Contains("invalid date", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GODE561231GR")]
    [InlineData("G&DE561231GR8")] // '&' only appears in company names
    [InlineData("GODE561231GR8X")]
    [InlineData("GODE56123AGR8")] // letter inside the date
    public void MexicanRfcRejectsWrongLayout(string number)
    {
        AssertInvalid("MEX", "RFC", number);
    }

    // ------------------------------------------------------------------ Colombia

    [Theory]
    [InlineData("800197268-4")] // DIAN itself; weighted sum 733, 733%11=7 -> 4
    [InlineData("900123456-8")] // sum 586, remainder 3 -> 8
    [InlineData("899.999.068-1")] // sum 1519, remainder 1 -> 1
    [InlineData("8300372480")] // sum 693, remainder 0 -> 0
    [InlineData("890903938-8")]
    public void ColombianNitAcceptsCorrectVerificationDigit(string number)
    {
        AssertValid("COL", "NIT", number);
    }

    [Theory]
    [InlineData("800197268-5")]
    [InlineData("900123456-0")]
    [InlineData("899999068-0")]
    public void ColombianNitRejectsWrongVerificationDigit(string number)
    {
        var result = AssertInvalid("COL", "NIT", number);
        Assert.Contains("wrong verification digit", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("800197268")]
    [InlineData("12345678901")]
    [InlineData("80019726A-4")]
    public void ColombianNitRejectsWrongLength(string number)
    {
        AssertInvalid("COL", "NIT", number);
    }

    [Theory]
    [InlineData("CED_CIU", "1020304050")]
    [InlineData("CED_CIU", "79.123.456")]
    [InlineData("CED_CIU", "123")]
    [InlineData("CED_EXT", "123456")]
    [InlineData("CED_EXT", "1234567")]
    [InlineData("TI", "1001234567")]
    [InlineData("TI", "10012345678")]
    [InlineData("NUIP", "1234567890")]
    [InlineData("TE", "AB123")]
    [InlineData("PPT", "1234567")]
    [InlineData("PASS", "AB123456")]
    [InlineData("PASS", "x1234")]
    [InlineData("PEP", "123456789012345")]
    [InlineData("RC", "1234567890")]
    [InlineData("RC", "A123456789B")]
    public void ColombianDocumentAcceptsDocumentedFormat(string type, string number)
    {
        AssertValid("COL", type, number);
    }

    [Theory]
    [InlineData("CED_CIU", "12")]
    [InlineData("CED_CIU", "12345678901")]
    [InlineData("CED_CIU", "12345A")]
    [InlineData("CED_EXT", "12345678")]
    [InlineData("CED_EXT", "AB1234")]
    [InlineData("TI", "123456789")]
    [InlineData("NUIP", "123456789")]
    [InlineData("NUIP", "12345678901")]
    [InlineData("TE", "AB")]
    [InlineData("TE", "ABCDEFGHIJK")]
    [InlineData("PPT", "123")]
    [InlineData("PPT", "12345A7")]
    [InlineData("PASS", "AB12")]
    [InlineData("PASS", "ABCDEFGHIJKLM")]
    [InlineData("PASS", "AB#1234")]
    [InlineData("PEP", "12345678901234")]
    [InlineData("PEP", "1234567890123456")]
    [InlineData("RC", "123456789")]
    public void ColombianDocumentRejectsWrongFormat(string type, string number)
    {
        AssertInvalid("COL", type, number);
    }

    // ------------------------------------------------------------------ Peru

    [Theory]
    [InlineData("20131312955")] // SUNAT itself; sum 94, 11-6 = 5
    [InlineData("10123456781")] // individual with DNI 12345678; sum 143, 11-0 = 11 -> 1
    [InlineData("20100070970")] // sum 89, 11-1 = 10 -> 0
    [InlineData("20100047218")]
    [InlineData("10467793549")]
    public void PeruvianRucAcceptsCorrectCheckDigit(string number)
    {
        AssertValid("PER", "RUC", number);
    }

    [Theory]
    [InlineData("20131312956")]
    [InlineData("10123456780")]
    [InlineData("20100070971")]
    public void PeruvianRucRejectsWrongCheckDigit(string number)
    {
        var result = AssertInvalid("PER", "RUC", number);
        Assert.Contains("wrong check digit", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PeruvianRucRejectsUnknownPrefix()
    {
        var result = AssertInvalid("PER", "RUC", "30131312951"); // check digit is right for prefix 30
        Assert.Contains("unknown taxpayer type prefix", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2013131295")]
    [InlineData("201313129551")]
    public void PeruvianRucRejectsWrongLength(string number)
    {
        AssertInvalid("PER", "RUC", number);
    }

    [Theory]
    [InlineData("DNI", "12345678")]
    [InlineData("DNI", "45678912")]
    [InlineData("CE", "123456789")]
    public void PeruvianDocumentAcceptsDocumentedFormat(string type, string number)
    {
        AssertValid("PER", type, number);
    }

    [Theory]
    [InlineData("DNI", "1234567")]
    [InlineData("DNI", "123456789")]
    [InlineData("DNI", "1234567A")]
    [InlineData("CE", "12345678")]
    [InlineData("CE", "1234567890")]
    [InlineData("CE", "A23456789")]
    public void PeruvianDocumentRejectsWrongFormat(string type, string number)
    {
        AssertInvalid("PER", type, number);
    }

    // ------------------------------------------------------------------ Argentina

    [Theory]
    [InlineData("20-12345678-6")] // sum 148, 11-5 = 6
    [InlineData("33-69345023-9")] // AFIP itself; sum 145, 11-2 = 9
    [InlineData("27-11111111-7")] // sum 70, 11-4 = 7
    [InlineData("30-50000000-3")] // sum 30, 11-8 = 3
    [InlineData("23-00000000-0")] // sum 22, 11-0 = 11 -> 0
    [InlineData("20123456786")]
    public void ArgentineCuitAcceptsCorrectCheckDigit(string number)
    {
        AssertValid("ARG", "CUIT", number);
    }

    [Theory]
    [InlineData("20-12345678-7")]
    [InlineData("33-69345023-8")]
    [InlineData("23-00000000-1")]
    public void ArgentineCuitRejectsWrongCheckDigit(string number)
    {
        var result = AssertInvalid("ARG", "CUIT", number);
        Assert.Contains("wrong check digit", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("20-00000001-0")] // sum 12, 11-1 = 10: no digit is valid
    [InlineData("20-00000001-1")]
    [InlineData("20-00000001-9")]
    public void ArgentineCuitRejectsNumbersWhoseCheckWouldBeTen(string number)
    {
        AssertInvalid("ARG", "CUIT", number);
    }

    [Theory]
    [InlineData("21-12345678-2")] // check digit is right for prefix 21, which AFIP does not issue
    [InlineData("20-1234567-6")]
    [InlineData("20-123456789-6")]
    public void ArgentineCuitRejectsWrongPrefixOrLength(string number)
    {
        AssertInvalid("ARG", "CUIT", number);
    }

    [Theory]
    [InlineData("12.345.678")]
    [InlineData("1234567")]
    [InlineData("40123456")]
    public void ArgentineDniAcceptsSevenOrEightDigits(string number)
    {
        AssertValid("ARG", "DNI", number);
    }

    [Theory]
    [InlineData("123456")]
    [InlineData("123456789")]
    [InlineData("12.345.67A")]
    public void ArgentineDniRejectsWrongFormat(string number)
    {
        AssertInvalid("ARG", "DNI", number);
    }
}
