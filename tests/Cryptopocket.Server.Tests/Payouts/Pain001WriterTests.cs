using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.XPath;
using Cryptopocket.Server.Features.Payouts.Pain001;

namespace Cryptopocket.Server.Tests.Payouts;

public sealed class Pain001WriterTests
{
    private static readonly XNamespace Ns = Pain001Writer.Namespace;
    private static readonly XmlNamespaceManager Prefixes = CreatePrefixes();

    private static readonly CreditTransferBatch Valid = new(
        MessageId: "PAYOUT-20260301-1",
        CreatedAt: new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.FromHours(1)),
        InitiatingPartyName: "Cryptopocket S.L.",
        Debtor: new DebtorAccount("Cryptopocket S.L.", "ES9121000418450200051332", "CAIXESBBXXX"),
        RequestedExecutionDate: new DateOnly(2026, 3, 2),
        Transfers:
        [
            new CreditTransfer("RAMPOFF-1", 150.25m, "Lucía García", "ES9121000418450200051332", "CAIXESBBXXX", "Payout 1"),
            new CreditTransfer("RAMPOFF-2", 20m, "Jan de Vries", "NL91ABNA0417164300", null, "Payout 2"),
            new CreditTransfer("RAMPOFF-3", 0.1m, "Zoë Müller", "DE89370400440532013000", "COBADEFFXXX", "Payout 3"),
        ]);

    private static CreditTransfer First => Valid.Transfers[0];

    private static CreditTransferBatch WithTransfers(params CreditTransfer[] transfers) =>
        Valid with { Transfers = transfers };

    // ---- Output conforms to the schema and carries the right values ----

    [Fact]
    public void OutputConformsToThePain00100109Schema()
    {
        Assert.Empty(SchemaErrors(Pain001Writer.Write(Valid)));
    }

    [Fact]
    public void DocumentIsUtf8InTheVersion09Namespace()
    {
        var xml = Pain001Writer.Write(Valid);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", xml, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual('\uFEFF', xml[0]);
        var root = XDocument.Parse(xml).Root!;
        Assert.Equal(Ns + "Document", root.Name);
        Assert.Equal("urn:iso:std:iso:20022:tech:xsd:pain.001.001.09", root.Name.NamespaceName);
    }

    [Fact]
    public void GroupHeaderCarriesIdCreationTimeCountAndControlSum()
    {
        var doc = Write(Valid);

        Assert.Equal("PAYOUT-20260301-1", Value(doc, "GrpHdr/MsgId"));
        Assert.Equal("2026-03-01T09:30:15+01:00", Value(doc, "GrpHdr/CreDtTm"));
        Assert.Equal("3", Value(doc, "GrpHdr/NbOfTxs"));
        Assert.Equal("170.35", Value(doc, "GrpHdr/CtrlSum"));
        Assert.Equal("Cryptopocket S.L.", Value(doc, "GrpHdr/InitgPty/Nm"));
    }

    [Fact]
    public void OnePaymentInformationBlockDescribesTheSepaDebit()
    {
        var doc = Write(Valid);

        Assert.Single(Values(doc, "PmtInf"));
        Assert.Equal("PAYOUT-20260301-1", Value(doc, "PmtInf/PmtInfId"));
        Assert.Equal("TRF", Value(doc, "PmtInf/PmtMtd"));
        Assert.Equal("false", Value(doc, "PmtInf/BtchBookg"));
        Assert.Equal("3", Value(doc, "PmtInf/NbOfTxs"));
        Assert.Equal("170.35", Value(doc, "PmtInf/CtrlSum"));
        Assert.Equal("SEPA", Value(doc, "PmtInf/PmtTpInf/SvcLvl/Cd"));
        Assert.Equal("2026-03-02", Value(doc, "PmtInf/ReqdExctnDt/Dt"));
        Assert.Equal("Cryptopocket S.L.", Value(doc, "PmtInf/Dbtr/Nm"));
        Assert.Equal("ES9121000418450200051332", Value(doc, "PmtInf/DbtrAcct/Id/IBAN"));
        Assert.Equal("CAIXESBBXXX", Value(doc, "PmtInf/DbtrAgt/FinInstnId/BICFI"));
        Assert.Empty(Values(doc, "PmtInf/DbtrAgt/FinInstnId/Othr"));
        Assert.Equal("SLEV", Value(doc, "PmtInf/ChrgBr"));
    }

    [Fact]
    public void TransfersAreWrittenInOrderAsEuroAmounts()
    {
        var doc = Write(Valid);

        Assert.Equal(new[] { "RAMPOFF-1", "RAMPOFF-2", "RAMPOFF-3" }, Values(doc, "PmtInf/CdtTrfTxInf/PmtId/EndToEndId"));
        Assert.Equal(new[] { "150.25", "20.00", "0.10" }, Values(doc, "PmtInf/CdtTrfTxInf/Amt/InstdAmt"));
        Assert.All(Elements(doc, "PmtInf/CdtTrfTxInf/Amt/InstdAmt"), amount => Assert.Equal("EUR", (string?)amount.Attribute("Ccy")));
        Assert.Equal(new[] { "Lucia Garcia", "Jan de Vries", "Zoe Muller" }, Values(doc, "PmtInf/CdtTrfTxInf/Cdtr/Nm"));
        Assert.Equal(
            new[] { "ES9121000418450200051332", "NL91ABNA0417164300", "DE89370400440532013000" },
            Values(doc, "PmtInf/CdtTrfTxInf/CdtrAcct/Id/IBAN"));
        Assert.Equal(new[] { "Payout 1", "Payout 2", "Payout 3" }, Values(doc, "PmtInf/CdtTrfTxInf/RmtInf/Ustrd"));
    }

    [Theory]
    [InlineData("5", "5.00")]
    [InlineData("0.01", "0.01")]
    [InlineData("0.1", "0.10")]
    [InlineData("1234.5", "1234.50")]
    [InlineData("10.000", "10.00")]
    [InlineData("1000000", "1000000.00")]
    [InlineData("999999999.99", "999999999.99")]
    public void AmountsHaveExactlyTwoDecimalsWhateverTheCurrentCulture(string amount, string expected)
    {
        var transfer = First with { Amount = decimal.Parse(amount, CultureInfo.InvariantCulture) };
        var previous = CultureInfo.CurrentCulture;
        string xml;
        try
        {
            // German formats 1234.5 as "1.234,50": exactly what must never reach the file.
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            xml = Pain001Writer.Write(WithTransfers(transfer));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Empty(SchemaErrors(xml));
        var doc = XDocument.Parse(xml);
        Assert.Equal(expected, Value(doc, "PmtInf/CdtTrfTxInf/Amt/InstdAmt"));
        Assert.Equal(expected, Value(doc, "GrpHdr/CtrlSum"));
        Assert.Equal(expected, Value(doc, "PmtInf/CtrlSum"));
    }

    [Fact]
    public void ControlSumIsTheExactDecimalSum()
    {
        // Ten times 0.10 plus 0.01 is 1.01 exactly; summing as double would give 1.0100000000000002.
        var transfers = Enumerable.Range(1, 10)
            .Select(i => First with { EndToEndId = $"RAMPOFF-{i}", Amount = 0.1m })
            .Append(First with { EndToEndId = "RAMPOFF-11", Amount = 0.01m })
            .ToArray();

        var doc = Write(WithTransfers(transfers));

        Assert.Equal("11", Value(doc, "GrpHdr/NbOfTxs"));
        Assert.Equal("1.01", Value(doc, "GrpHdr/CtrlSum"));
        Assert.Equal("11", Value(doc, "PmtInf/NbOfTxs"));
        Assert.Equal("1.01", Value(doc, "PmtInf/CtrlSum"));
    }

    [Fact]
    public void ControlSumMayExceedTheSingleTransferMaximum()
    {
        var transfers = Enumerable.Range(1, 3)
            .Select(i => First with { EndToEndId = $"RAMPOFF-{i}", Amount = Pain001Writer.MaxAmount })
            .ToArray();

        var doc = Write(WithTransfers(transfers));

        Assert.Equal("2999999999.97", Value(doc, "GrpHdr/CtrlSum"));
    }

    [Fact]
    public void CreditorAgentIsWrittenOnlyWhenTheBicIsKnown()
    {
        var doc = Write(WithTransfers(
            First with { EndToEndId = "WITH-BIC", CreditorBic = "caixesbb" },
            First with { EndToEndId = "NULL-BIC", CreditorBic = null },
            First with { EndToEndId = "BLANK-BIC", CreditorBic = "  " }));

        var transfers = Elements(doc, "PmtInf/CdtTrfTxInf");
        Assert.Equal("CAIXESBB", transfers[0].Element(Ns + "CdtrAgt")?.Element(Ns + "FinInstnId")?.Element(Ns + "BICFI")?.Value);
        Assert.Null(transfers[1].Element(Ns + "CdtrAgt"));
        Assert.Null(transfers[2].Element(Ns + "CdtrAgt"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void DebtorAgentWithoutBicIsNotProvided(string? bic)
    {
        var doc = Write(Valid with { Debtor = Valid.Debtor with { Bic = bic } });

        Assert.Equal("NOTPROVIDED", Value(doc, "PmtInf/DbtrAgt/FinInstnId/Othr/Id"));
        Assert.Empty(Values(doc, "PmtInf/DbtrAgt/FinInstnId/BICFI"));
    }

    [Theory]
    [InlineData("Lucía García Pérez", "Lucia Garcia Perez")]
    [InlineData("José Ñúñez", "Jose Nunez")]
    [InlineData("Straße", "Strasse")]
    [InlineData("Zoë Müller", "Zoe Muller")]
    [InlineData("Łukasz Żółć", "Lukasz Zolc")]
    [InlineData("Søren Ærø", "Soren AEro")]
    [InlineData("Œuvre & Fils", "OEuvre + Fils")]
    [InlineData("Þór Ðað", "THor Dad")]
    [InlineData("O’Brien “Jr”", "O'Brien 'Jr'")]
    [InlineData("Smith_Jones – Ltd", "Smith-Jones - Ltd")]
    [InlineData("Ｆｕｌｌ ﬁ²", "Full fi2")]
    [InlineData("a@b.com #1; 50%", "a.b.com .1. 50.")]
    [InlineData("Ivan Иванов", "Ivan ......")]
    [InlineData("Pay 😀 now", "Pay . now")]
    [InlineData("Tab\tand\r\nnew   line ", "Tab and new line")]
    public void NamesAndRemittanceAreConvertedToTheEpcCharacterSet(string input, string expected)
    {
        var doc = Write(WithTransfers(First with { CreditorName = input, RemittanceInformation = input }));

        Assert.Equal(expected, Value(doc, "PmtInf/CdtTrfTxInf/Cdtr/Nm"));
        Assert.Equal(expected, Value(doc, "PmtInf/CdtTrfTxInf/RmtInf/Ustrd"));
    }

    [Fact]
    public void LoneSurrogateBecomesADot()
    {
        // Kept out of InlineData: test runners serialise theory arguments, and a lone surrogate cannot be encoded.
        var doc = Write(WithTransfers(First with { CreditorName = "Lone \uD800 surrogate" }));

        Assert.Equal("Lone . surrogate", Value(doc, "PmtInf/CdtTrfTxInf/Cdtr/Nm"));
    }

    [Fact]
    public void NoCharacterOutsideTheEpcSetReachesTheFile()
    {
        // Every Latin-1, Latin Extended and general punctuation character, plus a few far outside Latin.
        var everything = new string(Enumerable.Range(0x20, 0x250 - 0x20).Concat(Enumerable.Range(0x2000, 0x70))
            .Select(c => (char)c).ToArray()) + "日本語 عربى 😀";
        var doc = Write(Valid with
        {
            InitiatingPartyName = "Init " + everything,
            Debtor = Valid.Debtor with { Name = "Debtor " + everything },
            Transfers = [First with { CreditorName = everything, RemittanceInformation = everything }],
        });

        var texts = Values(doc, "GrpHdr/InitgPty/Nm")
            .Concat(Values(doc, "PmtInf/Dbtr/Nm"))
            .Concat(Values(doc, "PmtInf/CdtTrfTxInf/Cdtr/Nm"))
            .Concat(Values(doc, "PmtInf/CdtTrfTxInf/RmtInf/Ustrd"))
            .ToArray();
        Assert.Equal(4, texts.Length);
        const string punctuation = "/-?:().,'+ ";
        Assert.All(texts, text => Assert.All(text, c => Assert.True(
            char.IsAsciiLetterOrDigit(c) || punctuation.Contains(c, StringComparison.Ordinal),
            $"'{c}' (U+{(int)c:X4}) in \"{text}\"")));
    }

    [Fact]
    public void NamesAreTruncatedTo70AndRemittanceTo140Characters()
    {
        var longText = string.Concat(Enumerable.Repeat("Abcdefghij", 20));
        var doc = Write(Valid with
        {
            InitiatingPartyName = longText,
            Debtor = Valid.Debtor with { Name = longText },
            Transfers = [First with { CreditorName = longText, RemittanceInformation = longText }],
        });

        Assert.Equal(longText[..70], Value(doc, "GrpHdr/InitgPty/Nm"));
        Assert.Equal(longText[..70], Value(doc, "PmtInf/Dbtr/Nm"));
        Assert.Equal(longText[..70], Value(doc, "PmtInf/CdtTrfTxInf/Cdtr/Nm"));
        Assert.Equal(longText[..140], Value(doc, "PmtInf/CdtTrfTxInf/RmtInf/Ustrd"));
    }

    [Theory]
    [InlineData(69, "ß", 70)]
    [InlineData(69, " b", 69)]
    [InlineData(68, "Æx", 70)]
    public void TruncationCountsConvertedCharactersAndDropsATrailingSpace(int prefix, string tail, int expectedLength)
    {
        var name = new string('a', prefix) + tail;

        var written = Value(Write(WithTransfers(First with { CreditorName = name })), "PmtInf/CdtTrfTxInf/Cdtr/Nm");

        Assert.Equal(expectedLength, written.Length);
        Assert.StartsWith(new string('a', prefix), written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void BlankRemittanceLeavesRemittanceInformationOut(string remittance)
    {
        var doc = Write(WithTransfers(First with { RemittanceInformation = remittance }));

        Assert.Empty(Values(doc, "PmtInf/CdtTrfTxInf/RmtInf"));
    }

    [Fact]
    public void IbansInPaperFormatAreCompacted()
    {
        var doc = Write(Valid with
        {
            Debtor = Valid.Debtor with { Iban = "es91 2100 0418 4502 0005 1332" },
            Transfers = [First with { CreditorIban = "DE89 3704 0044 0532 0130 00" }],
        });

        Assert.Equal("ES9121000418450200051332", Value(doc, "PmtInf/DbtrAcct/Id/IBAN"));
        Assert.Equal("DE89370400440532013000", Value(doc, "PmtInf/CdtTrfTxInf/CdtrAcct/Id/IBAN"));
    }

    [Fact]
    public void EveryAllowedIdCharacterIsAcceptedUpTo35Characters()
    {
        const string id = "az AZ 09 /-?:().,'+ abcdefghijklmno";
        Assert.Equal(35, id.Length);

        var doc = Write(Valid with { MessageId = id, Transfers = [First with { EndToEndId = id }] });

        Assert.Equal(id, Value(doc, "GrpHdr/MsgId"));
        Assert.Equal(id, Value(doc, "PmtInf/PmtInfId"));
        Assert.Equal(id, Value(doc, "PmtInf/CdtTrfTxInf/PmtId/EndToEndId"));
    }

    // ---- Rejected input ----

    public static TheoryData<string> InvalidIds =>
    [
        "",
        "   ",
        new string('A', 36),
        "/PAYOUT-1",
        "PAYOUT-1/",
        "PAYOUT//1",
        "PAYOUT_1",
        "PAYOUT#1",
        "PAYOUT&1",
        "PAYÖUT-1",
        "PAYOUT\n1",
        " PAYOUT-1",
        "PAYOUT-1 ",
    ];

    [Fact]
    public void NullBatchIsRejected()
    {
        Assert.Throws<ArgumentNullException>(() => Pain001Writer.Write(null!));
    }

    [Fact]
    public void EmptyBatchIsRejected()
    {
        AssertRejected(WithTransfers(), "no credit transfers");
        AssertRejected(Valid with { Transfers = null! }, "no credit transfers");
    }

    [Fact]
    public void MissingDebtorOrTransferIsRejected()
    {
        AssertRejected(Valid with { Debtor = null! }, "Debtor");
        AssertRejected(WithTransfers(First, null!), "Transfers[1]");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.01")]
    [InlineData("-100")]
    [InlineData("0.001")]
    [InlineData("1.005")]
    [InlineData("999999999.991")]
    [InlineData("1000000000")]
    public void InvalidAmountIsRejected(string amount)
    {
        var transfer = First with { EndToEndId = "RAMPOFF-2", Amount = decimal.Parse(amount, CultureInfo.InvariantCulture) };

        AssertRejected(WithTransfers(First, transfer), "Transfers[1].Amount");
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void InvalidMessageIdIsRejected(string id)
    {
        AssertRejected(Valid with { MessageId = id }, "MessageId");
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void InvalidEndToEndIdIsRejected(string id)
    {
        AssertRejected(WithTransfers(First, First with { EndToEndId = id }), "Transfers[1].EndToEndId");
    }

    [Fact]
    public void DuplicateEndToEndIdIsRejected()
    {
        var batch = WithTransfers(First, First with { EndToEndId = "RAMPOFF-2" }, First with { Amount = 1m });

        AssertRejected(batch, "Transfers[2].EndToEndId 'RAMPOFF-1' is already used");
    }

    [Theory]
    [InlineData("")]
    [InlineData("DE89")]
    [InlineData("DE00370400440532013000")]
    [InlineData("DE89370400440532013001")]
    [InlineData("DE8937040044053201300")]
    [InlineData("XX89370400440532013000")]
    [InlineData("1289370400440532013000")]
    [InlineData("DE89-3704-0044-0532-0130-00")]
    public void InvalidIbanIsRejected(string iban)
    {
        AssertRejected(Valid with { Debtor = Valid.Debtor with { Iban = iban } }, "Debtor.Iban");
        AssertRejected(WithTransfers(First, First with { EndToEndId = "X", CreditorIban = iban }), "Transfers[1].CreditorIban");
    }

    [Fact]
    public void NullIbanIsRejected()
    {
        AssertRejected(Valid with { Debtor = Valid.Debtor with { Iban = null! } }, "Debtor.Iban");
        AssertRejected(WithTransfers(First with { CreditorIban = null! }), "Transfers[0].CreditorIban");
    }

    [Theory]
    [InlineData("CAIXESB")]
    [InlineData("CAIXESBBX")]
    [InlineData("CAIXESBBXXXX")]
    [InlineData("CAIX-ESBB")]
    [InlineData("CAIX12BB")]
    [InlineData("CAIXÉSBB")]
    public void InvalidBicIsRejected(string bic)
    {
        AssertRejected(Valid with { Debtor = Valid.Debtor with { Bic = bic } }, "Debtor.Bic");
        AssertRejected(WithTransfers(First with { CreditorBic = bic }), "Transfers[0].CreditorBic");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("☕☕")]
    [InlineData("Иван")]
    [InlineData("日本")]
    public void NameWithoutLatinLettersOrDigitsIsRejected(string name)
    {
        AssertRejected(Valid with { InitiatingPartyName = name }, "InitiatingPartyName");
        AssertRejected(Valid with { Debtor = Valid.Debtor with { Name = name } }, "Debtor.Name");
        AssertRejected(WithTransfers(First, First with { EndToEndId = "X", CreditorName = name }), "Transfers[1].CreditorName");
    }

    // ---- The schema check itself is real ----

    [Theory]
    [InlineData("MsgId missing")]
    [InlineData("CtrlSum before NbOfTxs")]
    [InlineData("ChrgBr before DbtrAgt")]
    [InlineData("Cdtr after CdtrAcct")]
    [InlineData("lower-case IBAN country")]
    [InlineData("BIC of 9 characters")]
    [InlineData("amount with 6 decimals")]
    [InlineData("negative amount")]
    [InlineData("currency missing")]
    [InlineData("name of 141 characters")]
    [InlineData("MsgId of 36 characters")]
    [InlineData("empty EndToEndId")]
    [InlineData("NbOfTxs not numeric")]
    [InlineData("unknown payment method")]
    [InlineData("unknown element")]
    [InlineData("pain.001.001.03 namespace")]
    public void BrokenDocumentFailsSchemaValidation(string breakage)
    {
        var doc = XDocument.Parse(Pain001Writer.Write(Valid));
        var groupHeader = Elements(doc, "GrpHdr")[0];
        var payment = Elements(doc, "PmtInf")[0];
        var transfer = Elements(doc, "PmtInf/CdtTrfTxInf")[0];

        switch (breakage)
        {
            case "MsgId missing":
                groupHeader.Element(Ns + "MsgId")!.Remove();
                break;
            case "CtrlSum before NbOfTxs":
                MoveBefore(groupHeader.Element(Ns + "CtrlSum")!, groupHeader.Element(Ns + "NbOfTxs")!);
                break;
            case "ChrgBr before DbtrAgt":
                MoveBefore(payment.Element(Ns + "ChrgBr")!, payment.Element(Ns + "DbtrAgt")!);
                break;
            case "Cdtr after CdtrAcct":
                MoveBefore(transfer.Element(Ns + "CdtrAcct")!, transfer.Element(Ns + "Cdtr")!);
                break;
            case "lower-case IBAN country":
                payment.Element(Ns + "DbtrAcct")!.Descendants(Ns + "IBAN").Single().Value = "es9121000418450200051332";
                break;
            case "BIC of 9 characters":
                payment.Descendants(Ns + "BICFI").First().Value = "CAIXESBBX";
                break;
            case "amount with 6 decimals":
                transfer.Descendants(Ns + "InstdAmt").Single().Value = "150.250001";
                break;
            case "negative amount":
                transfer.Descendants(Ns + "InstdAmt").Single().Value = "-150.25";
                break;
            case "currency missing":
                transfer.Descendants(Ns + "InstdAmt").Single().Attribute("Ccy")!.Remove();
                break;
            case "name of 141 characters":
                transfer.Element(Ns + "Cdtr")!.Element(Ns + "Nm")!.Value = new string('a', 141);
                break;
            case "MsgId of 36 characters":
                groupHeader.Element(Ns + "MsgId")!.Value = new string('A', 36);
                break;
            case "empty EndToEndId":
                transfer.Descendants(Ns + "EndToEndId").Single().Value = string.Empty;
                break;
            case "NbOfTxs not numeric":
                groupHeader.Element(Ns + "NbOfTxs")!.Value = "three";
                break;
            case "unknown payment method":
                payment.Element(Ns + "PmtMtd")!.Value = "CASH";
                break;
            case "unknown element":
                payment.Element(Ns + "PmtMtd")!.AddAfterSelf(new XElement(Ns + "Foo", "bar"));
                break;
            case "pain.001.001.03 namespace":
                XNamespace old = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03";
                doc.Root!.Attributes().Where(attribute => attribute.IsNamespaceDeclaration).Remove();
                foreach (var element in doc.Descendants().ToList())
                {
                    element.Name = old + element.Name.LocalName;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "No such breakage.");
        }

        Assert.NotEmpty(SchemaErrors(doc.ToString()));
    }

    // ---- Helpers ----

    private static void AssertRejected(CreditTransferBatch batch, string expectedInMessage)
    {
        var exception = Assert.Throws<ArgumentException>(() => Pain001Writer.Write(batch));
        Assert.Contains(expectedInMessage, exception.Message, StringComparison.Ordinal);
    }

    private static void MoveBefore(XElement element, XElement anchor)
    {
        element.Remove();
        anchor.AddBeforeSelf(element);
    }

    // Every document the tests read is first proven valid, so no value assertion can pass on a broken file.
    private static XDocument Write(CreditTransferBatch batch)
    {
        var xml = Pain001Writer.Write(batch);
        Assert.Empty(SchemaErrors(xml));
        return XDocument.Parse(xml);
    }

    private static List<string> SchemaErrors(string xml) => Pain001Schema.Errors(xml);

    private static XmlNamespaceManager CreatePrefixes()
    {
        var prefixes = new XmlNamespaceManager(new NameTable());
        prefixes.AddNamespace("p", Pain001Writer.Namespace);
        return prefixes;
    }

    // "GrpHdr/MsgId" → "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId".
    private static List<XElement> Elements(XDocument doc, string path)
    {
        var steps = path.Split('/').Select(step => "p:" + step);
        var xpath = "/p:Document/p:CstmrCdtTrfInitn/" + string.Join('/', steps);
        return doc.XPathSelectElements(xpath, Prefixes).ToList();
    }

    private static string[] Values(XDocument doc, string path) =>
        Elements(doc, path).Select(element => element.Value).ToArray();

    private static string Value(XDocument doc, string path) => Assert.Single(Values(doc, path));
}
