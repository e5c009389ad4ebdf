using System.Text;
using System.Xml;
using Cryptopocket.Server.Features.Banking.Statements;
using static Cryptopocket.Server.Tests.Banking.Statements.StatementSamples;

namespace Cryptopocket.Server.Tests.Banking.Statements;

/// <summary>Everything that must make the importer reject a file instead of reconciling part of it.</summary>
public sealed class BankStatementParserRejectionTests
{
    private static BankStatementFormatException Reject(string xml)
    {
        using var stream = ToStream(xml);
        return Assert.Throws<BankStatementFormatException>(() => BankStatementParser.Parse(stream));
    }

    private static string SampleWith(string sample, string find, string replace) =>
        ReplaceFirst(Read(sample), find, replace);

    // Fails loudly if the sample no longer contains the text, so an edited sample cannot turn a test into a no-op.
    private static string ReplaceFirst(string xml, string find, string replace)
    {
        Assert.Contains(find, xml, StringComparison.Ordinal);
        var index = xml.IndexOf(find, StringComparison.Ordinal);
        return string.Concat(xml.AsSpan(0, index), replace, xml.AsSpan(index + find.Length));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("IBAN;IMPORTE;CONCEPTO\nES27...;150,00;120037")]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>")]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"></Documnet>")]
    public void MalformedXmlIsRejected(string xml)
    {
        var exception = Reject(xml);

        Assert.IsType<XmlException>(exception.InnerException);
    }

    [Fact]
    public void TruncatedSampleIsRejected()
    {
        var xml = Read(Camt053V02);

        Reject(xml[..(xml.Length / 2)]);
    }

    [Fact]
    public void ContentAfterTheDocumentIsRejected()
    {
        // Two statements concatenated into one upload: the second must not be silently dropped.
        var exception = Reject(Read(Camt053V02) + Read(Camt053V04));

        Assert.IsType<XmlException>(exception.InnerException);
    }

    [Fact]
    public void EntityExpansionBombIsRejectedBeforeExpanding()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Document [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
              <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
              <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
              <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
              <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
            ]>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
              <BkToCstmrStmt><Stmt><Id>&g;</Id></Stmt></BkToCstmrStmt>
            </Document>
            """;

        var exception = Reject(xml);

        Assert.IsType<XmlException>(exception.InnerException);
    }

    [Fact]
    public void ExternalEntityIsRejectedWithoutResolvingIt()
    {
        // Would leak a local file (or, with an http URL, make the server call out) if DTDs were processed.
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Document [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
              <BkToCstmrStmt><Stmt><Id>&xxe;</Id></Stmt></BkToCstmrStmt>
            </Document>
            """;

        var exception = Reject(xml);

        Assert.IsType<XmlException>(exception.InnerException);
        Assert.DoesNotContain("root:", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PaymentInitiationIsNotMistakenForAStatement()
    {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">
              <CstmrCdtTrfInitn>
                <GrpHdr>
                  <MsgId>PAIN-20240315-01</MsgId>
                  <CreDtTm>2024-03-15T10:00:00</CreDtTm>
                  <NbOfTxs>1</NbOfTxs>
                  <CtrlSum>150.00</CtrlSum>
                  <InitgPty><Nm>CRYPTOPOCKET SL</Nm></InitgPty>
                </GrpHdr>
                <PmtInf>
                  <PmtInfId>PMT-1</PmtInfId>
                  <PmtMtd>TRF</PmtMtd>
                  <ReqdExctnDt>2024-03-15</ReqdExctnDt>
                  <Dbtr><Nm>CRYPTOPOCKET SL</Nm></Dbtr>
                  <DbtrAcct><Id><IBAN>ES2721005731780200123456</IBAN></Id></DbtrAcct>
                  <DbtrAgt><FinInstnId><BIC>CAIXESBBXXX</BIC></FinInstnId></DbtrAgt>
                  <CdtTrfTxInf>
                    <PmtId><EndToEndId>E2E-1</EndToEndId></PmtId>
                    <Amt><InstdAmt Ccy="EUR">150.00</InstdAmt></Amt>
                    <Cdtr><Nm>JUAN PEREZ MARTINEZ</Nm></Cdtr>
                    <CdtrAcct><Id><IBAN>ES5501821234840201234567</IBAN></Id></CdtrAcct>
                    <RmtInf><Ustrd>120037</Ustrd></RmtInf>
                  </CdtTrfTxInf>
                </PmtInf>
              </CstmrCdtTrfInitn>
            </Document>
            """;

        var exception = Reject(xml);

        Assert.Contains("pain.001.001.03", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("urn:iso:std:iso:20022:tech:xsd:camt.052.001.08", "BkToCstmrAcctRpt")]
    [InlineData("urn:iso:std:iso:20022:tech:xsd:camt.053.001.2", "BkToCstmrStmt")]
    [InlineData("urn:iso:std:iso:20022:tech:xsd:camt.053.002.02", "BkToCstmrStmt")]
    [InlineData("", "BkToCstmrStmt")]
    public void OtherNamespacesAreRejected(string ns, string wrapper)
    {
        Reject($"""<Document xmlns="{ns}"><{wrapper}/></Document>""");
    }

    [Fact]
    public void RootOtherThanDocumentIsRejected()
    {
        Reject("""<Stmt xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><Id>X</Id></Stmt>""");
    }

    [Fact]
    public void DocumentWithoutStatementBlockIsRejected()
    {
        var exception = Reject("""
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
              <BkToCstmrStmt><GrpHdr><MsgId>M</MsgId><CreDtTm>2024-03-15T06:00:00</CreDtTm></GrpHdr></BkToCstmrStmt>
            </Document>
            """);

        Assert.Contains("BkToCstmrStmt/Stmt", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralAccountsInOneDocumentAreRejected()
    {
        var xml = SampleWith(Camt053V02, "</Stmt>", "</Stmt><Stmt><Id>SECOND</Id></Stmt>");

        var exception = Reject(xml);

        Assert.Contains("more than one Stmt", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryWithoutAmountIsRejected()
    {
        var xml = SampleWith(Camt053V02, """<Amt Ccy="EUR">150.00</Amt>""", string.Empty);

        var exception = Reject(xml);

        Assert.Contains("entry 1 (2024031500017834) has no amount (Amt)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryWithoutCurrencyIsRejected()
    {
        var exception = Reject(SampleWith(Camt054V08, """<Amt Ccy="EUR">350.00</Amt>""", "<Amt>350.00</Amt>"));

        Assert.Contains("Ccy", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryWithoutCreditDebitIndicatorIsRejected()
    {
        // Anchored on the entry: the balances before it carry a CdtDbtInd too.
        var exception = Reject(SampleWith(
            Camt053V04,
            "<Amt Ccy=\"EUR\">75.25</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>",
            "<Amt Ccy=\"EUR\">75.25</Amt>"));

        Assert.Contains("CdtDbtInd", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryWithoutStatusIsRejected()
    {
        // Without a status a pending credit could be taken for a booked one.
        var exception = Reject(SampleWith(Camt053V04, "<Sts>PDNG</Sts>", string.Empty));

        Assert.Contains("Sts", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<Amt Ccy=\"EUR\">1,234.50</Amt>")]
    [InlineData("<Amt Ccy=\"EUR\">1234,50</Amt>")]
    [InlineData("<Amt Ccy=\"EUR\">-150.00</Amt>")]
    [InlineData("<Amt Ccy=\"EUR\">1.5E2</Amt>")]
    [InlineData("<Amt Ccy=\"EUR\"></Amt>")]
    [InlineData("<Amt Ccy=\"eur\">150.00</Amt>")]
    [InlineData("<Amt Ccy=\"EURO\">150.00</Amt>")]
    public void InvalidAmountsAreRejected(string amount)
    {
        Reject(SampleWith(Camt053V02, """<Amt Ccy="EUR">150.00</Amt>""", amount));
    }

    [Theory]
    [InlineData("<CdtDbtInd>CREDIT</CdtDbtInd>")]
    [InlineData("<CdtDbtInd></CdtDbtInd>")]
    public void InvalidCreditDebitIndicatorIsRejected(string indicator)
    {
        Reject(SampleWith(
            Camt053V02,
            "<Amt Ccy=\"EUR\">150.00</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>",
            "<Amt Ccy=\"EUR\">150.00</Amt>\n        " + indicator));
    }

    [Fact]
    public void InvalidBookingDateIsRejected()
    {
        Reject(SampleWith(
            Camt053V02,
            "<BookgDt>\n          <Dt>2024-03-15</Dt>",
            "<BookgDt>\n          <Dt>15/03/2024</Dt>"));
    }

    [Fact]
    public void BatchWithATransactionWithoutAmountIsRejected()
    {
        // Splitting 350.00 between the two transfers would be a guess.
        var xml = SampleWith(Camt054V08, """<Amt Ccy="EUR">200.00</Amt>""", string.Empty);
        xml = ReplaceFirst(
            xml, "<TxAmt>\n                <Amt Ccy=\"EUR\">200.00</Amt>\n              </TxAmt>", string.Empty);

        var exception = Reject(xml);

        Assert.Contains("batch of 2 transactions cannot be split", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputOverTheLimitIsRejected()
    {
        using var stream = Open(Camt053V02);

        Assert.Throws<BankStatementFormatException>(() => BankStatementParser.Parse(stream, 1024));
    }

    [Fact]
    public void InputExactlyAtTheLimitIsAccepted()
    {
        using var stream = Open(Camt053V02);

        Assert.Equal(4, BankStatementParser.Parse(stream, stream.Length).Lines.Count);
    }

    [Fact]
    public void StreamReportingMoreThanFiftyMegabytesIsRejectedWithoutReadingIt()
    {
        using var stream = new OversizedStream();

        Assert.Throws<BankStatementFormatException>(() => BankStatementParser.Parse(stream));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void EndlessStreamIsCutOffAtFiftyMegabytes()
    {
        // Cannot report its length (like a request body) and is otherwise valid XML that never ends.
        using var stream = new EndlessStatementStream();

        var exception = Assert.Throws<BankStatementFormatException>(() => BankStatementParser.Parse(stream));

        Assert.Contains("larger than", exception.Message, StringComparison.Ordinal);
        // Stops within one read buffer of the limit instead of consuming the endless input.
        Assert.InRange(
            stream.BytesServed, BankStatementParser.MaxInputBytes, BankStatementParser.MaxInputBytes + 1_048_576);
    }

    private sealed class OversizedStream : MemoryStream
    {
        public override long Length => BankStatementParser.MaxInputBytes + 1;
    }

    private sealed class EndlessStatementStream : Stream
    {
        private static readonly byte[] Head = Encoding.UTF8.GetBytes(
            """<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>""");

        private static readonly byte[] Filler = Encoding.UTF8.GetBytes("<AddtlInf>padding</AddtlInf>");

        public long BytesServed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesServed;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            for (var i = 0; i < buffer.Length; i++, BytesServed++)
            {
                buffer[i] = BytesServed < Head.Length
                    ? Head[BytesServed]
                    : Filler[(BytesServed - Head.Length) % Filler.Length];
            }

            return buffer.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
