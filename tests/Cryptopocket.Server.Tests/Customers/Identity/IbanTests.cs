using System.Collections.Generic;
using Cryptopocket.Server.Features.Customers.Identity;
using Xunit;

namespace Cryptopocket.Server.Tests.Customers.Identity;

public sealed class IbanTests
{
    // One example per SWIFT IBAN Registry country (the registry's own examples where available). Each one was
    // re-checked with an independent MOD 97-10 implementation, so this also pins every entry of the length table.
    private static readonly string[] Examples =
    [
        "AD1200012030200359100100", "AE070331234567890123456", "AL47212110090000000235698741",
        "AT611904300234573201", "AZ21NABZ00000000137010001944", "BA391290079401028494", "BE68539007547034",
        "BG80BNBG96611020345678", "BH67BMAG00001299123456", "BI4210000100010000332045181",
        "BR1800360305000010009795493C1", "BY13NBRB3600900000002Z00AB00", "CH9300762011623852957",
        "CR05015202001026284066", "CY17002001280000001200527600", "CZ6508000000192000145399",
        "DE89370400440532013000", "DJ2100010000000154000100186", "DK5000400440116243",
        "DO28BAGR00000001212453611324", "EE382200221020145685", "EG380019000500000000263180002",
        "ES9121000418450200051332", "FI2112345600000785", "FK88SC123456789012", "FO6264600001631634",
        "FR1420041010050500013M02606", "GB29NWBK60161331926819", "GE29NB0000000101904917",
        "GI75NWBK000000007099453", "GL8964710001000206", "GR1601101250000000012300695",
        "GT82TRAJ01020000001210029690", "HN88CABF00000000000250005469", "HR1210010051863000160",
        "HU42117730161111101800000000", "IE29AIBK93115212345678", "IL620108000000099999999",
        "IQ98NBIQ850123456789012", "IS140159260076545510730339", "IT60X0542811101000000123456",
        "JO94CBJO0010000000000131000302", "KW81CBKU0000000000001234560101", "KZ86125KZT5004100100",
        "LB62099900000001001901229114", "LC55HEMM000100010012001200023015", "LI21088100002324013AA",
        "LT121000011101001000", "LU280019400644750000", "LV80BANK0000435195001",
        "LY83002048000020100120361", "MC5811222000010123456789030", "MD24AG000225100013104168",
        "ME25505000012345678951", "MK07250120000058984", "MN121234123456789123",
        "MR1300020001010000123456753", "MT84MALT011000012345MTLCAST001S", "MU17BOMM0101101030300200000MUR",
        "NI45BAPR00000013000003558124", "NL91ABNA0417164300", "NO9386011117947", "OM810180000001299123456",
        "PK36SCBL0000001123456702", "PL61109010140000071219812874", "PS92PALS000000000400123456702",
        "PT50000201231234567890154", "QA58DOHB00001234567890ABCDEFG", "RO49AAAA1B31007593840000",
        "RS35260005601001611379", "RU0304452522540817810538091310419", "SA0380000000608010167519",
        "SC18SSCB11010000000000001497USD", "SD2129010501234001", "SE4550000000058398257466",
        "SI56263300012039086", "SK3112000000198742637541", "SM86U0322509800000000270100",
        "SO211000001001000100141", "ST23000100010051845310146", "SV62CENR00000000000000700025",
        "TL380080012345678910157", "TN5910006035183598478831", "TR330006100519786457841326",
        "UA213223130000026007233566001", "VA59001123000012345678", "VG96VPVG0000012345678901",
        "XK051212012345678906", "YE15CBYE0001018861234567891234",
    ];

    public static TheoryData<string> RegistryExamples { get; } = new(Examples);

    [Theory]
    [MemberData(nameof(RegistryExamples))]
    public void IbanAcceptsRegistryExampleForEveryCountry(string iban)
    {
        Assert.True(Iban.IsValid(iban, out var normalized));
        Assert.Equal(iban, normalized);
    }

    [Fact]
    public void IbanRegistryExamplesCoverEightyNineCountries()
    {
        var countries = new HashSet<string>();
        foreach (var iban in Examples)
        {
            countries.Add(iban[..2]);
        }

        Assert.Equal(89, countries.Count);
    }

    [Theory]
    [InlineData("ES9121000418450200051332", "ES9121000418450200051332")]
    [InlineData("es91 2100 0418 4502 0005 1332", "ES9121000418450200051332")]
    [InlineData("  DE89 3704 0044 0532 0130 00  ", "DE89370400440532013000")]
    [InlineData("gb82west12345698765432", "GB82WEST12345698765432")]
    [InlineData("GB82\u00A0WEST\u00A01234\u00A05698\u00A07654\u00A032", "GB82WEST12345698765432")] // no-break spaces
    [InlineData("DE98370400440532000034", "DE98370400440532000034")] // check digits 98 (highest issued)
    [InlineData("DE02370400440532010007", "DE02370400440532010007")] // check digits 02 (lowest issued)
    public void IbanAcceptsElectronicAndPaperFormats(string input, string expected)
    {
        Assert.True(Iban.IsValid(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("ES9121000418450200051331")] // last digit changed
    [InlineData("ES7921000418450200051332")] // check digits changed
    [InlineData("DE88370400440532013000")]
    [InlineData("GB82WEST12345698765433")]
    [InlineData("NL91ABNA0417164301")]
    public void IbanRejectsWrongChecksum(string input)
    {
        Assert.False(Iban.IsValid(input, out var normalized));
        Assert.Equal(string.Empty, normalized);
    }

    [Theory]
    [InlineData("DE01370400440532000034")] // congruent to the valid DE98... modulo 97
    [InlineData("DE99370400440532010007")] // congruent to the valid DE02... modulo 97
    public void IbanRejectsCheckDigitsThatAreNeverIssued(string input)
    {
        Assert.False(Iban.IsValid(input, out _));
    }

    [Theory]
    [InlineData("ES912100041845020005133")] // 23 characters, Spain needs 24
    [InlineData("ES91210004184502000513321")] // 25 characters
    [InlineData("DE8937040044053201300")] // 21 characters, Germany needs 22
    [InlineData("US64SVBKUS6S3300958879")] // not an IBAN country
    [InlineData("XX00123456789")]
    [InlineData("1S9121000418450200051332")]
    [InlineData("ESAB21000418450200051332")]
    [InlineData("ES91-2100-0418-4502-0005-1332")] // only spaces are separators
    [InlineData("ES912100041845020005133!")]
    [InlineData("ES91")]
    [InlineData("")]
    [InlineData("   ")]
    public void IbanRejectsWrongStructureOrLength(string input)
    {
        Assert.False(Iban.IsValid(input, out _));
    }

    [Theory]
    [InlineData("ES9121000418450200051332", "ES91 2100 0418 4502 0005 1332")]
    [InlineData("gb82 west1234 5698765432", "GB82 WEST 1234 5698 7654 32")]
    [InlineData("NO9386011117947", "NO93 8601 1117 947")]
    [InlineData("BE68539007547034", "BE68 5390 0754 7034")]
    [InlineData("", "")]
    public void IbanFormatPrintsGroupsOfFour(string input, string expected)
    {
        Assert.Equal(expected, Iban.Format(input));
    }
}
