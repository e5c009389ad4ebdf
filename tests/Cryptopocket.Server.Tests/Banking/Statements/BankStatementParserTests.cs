using System.Globalization;
using System.Text;
using Cryptopocket.Server.Features.Banking.Statements;
using static Cryptopocket.Server.Tests.Banking.Statements.StatementSamples;

namespace Cryptopocket.Server.Tests.Banking.Statements;

public sealed class BankStatementParserTests
{
    private static BankStatement ParseSample(string name)
    {
        using var stream = Open(name);
        return BankStatementParser.Parse(stream);
    }

    private static BankStatement ParseXml(string xml)
    {
        using var stream = ToStream(xml);
        return BankStatementParser.Parse(stream);
    }

    [Fact]
    public void Camt053Version02StatementYieldsOneLinePerEntryWithEveryField()
    {
        var statement = ParseSample(Camt053V02);

        Assert.Equal("camt.053", statement.MessageType);
        Assert.Equal("001.02", statement.Version);
        Assert.Equal("20240315-ES2721005731780200123456", statement.StatementId);
        Assert.Equal("ES2721005731780200123456", statement.AccountIban);
        var booked = new DateOnly(2024, 3, 15);
        Assert.Collection(
            statement.Lines,
            // Single TxDtls without its own amount: the entry amount is used; no transaction AcctSvcrRef, so the
            // entry's one is the reference.
            line => Assert.Equal(
                new BankStatementLine(
                    "2024031500017834", 150.00m, "EUR", true, "BOOK", booked, "120037",
                    "JUAN PEREZ MARTINEZ", "ES5501821234840201234567", "E2E20240315JPM0001"),
                line),
            // Transaction-level AcctSvcrRef wins over the entry's; AmtDtls/TxAmt is the amount; NOTPROVIDED → null.
            line => Assert.Equal(
                new BankStatementLine(
                    "0049TRF20240315000912", 1234.5m, "EUR", true, "BOOK", booked, "CONCEPT 120038 Lucia Garcia",
                    "LUCIA GARCIA LOPEZ", "ES9200491500012711223344", null),
                line),
            // Bank fee: an entry without NtryDtls is one line with no counterparty data.
            line => Assert.Equal(
                new BankStatementLine(
                    "2024031500018377", 25.90m, "EUR", false, "BOOK", booked, null, null, null, null),
                line),
            // Structured creditor reference only.
            line => Assert.Equal(
                new BankStatementLine(
                    "0081TRF20240315004471", 500.00m, "EUR", true, "BOOK", booked, "RF18539007547034",
                    "TALLERES MECANICOS NORTE SL", "ES2000810200280001234567", "FRA-2024-000318"),
                line));
    }

    [Fact]
    public void Camt054Version08BatchEntryYieldsOneLinePerTransaction()
    {
        var statement = ParseSample(Camt054V08);

        Assert.Equal("camt.054", statement.MessageType);
        Assert.Equal("001.08", statement.Version);
        Assert.Equal("NTF-20240319-000123", statement.StatementId);
        Assert.Equal("ES2721005731780200123456", statement.AccountIban);
        var booked = new DateOnly(2024, 3, 19);
        Assert.Collection(
            statement.Lines,
            // TxDtls/Amt, Sts/Cd and Dbtr/Pty/Nm are the version-08 shapes.
            line => Assert.Equal(
                new BankStatementLine(
                    "2024031900042117-001", 200.00m, "EUR", true, "BOOK", booked, "Pedido 120040",
                    "Ana Martín Ruiz", "ES5814650100961234567890", "PEDIDO-120040"),
                line),
            // No TxDtls/Amt: AmtDtls/TxAmt/Amt; no TxDtls/CdtDbtInd: the entry's; Ustrd then Strd reference.
            line => Assert.Equal(
                new BankStatementLine(
                    "2024031900042117-002", 150.00m, "EUR", true, "BOOK", booked, "FACTURA 120041",
                    "María José Fernández Gil", "ES2001280401090500012345", null),
                line));
        Assert.Equal(350.00m, statement.Lines.Sum(l => l.Amount));
    }

    [Fact]
    public void Camt053Version04StatementKeepsPendingEntriesRecognisable()
    {
        var statement = ParseSample(Camt053V04);

        Assert.Equal("camt.053", statement.MessageType);
        Assert.Equal("001.04", statement.Version);
        Assert.Equal("STMT-0182-20240319-0318", statement.StatementId);
        Assert.Equal("ES9801826010700201509876", statement.AccountIban);
        Assert.Collection(
            statement.Lines,
            // BookgDt/DtTm 2024-03-19T00:15+01:00 is 2024-03-18 in UTC; the bank's own calendar day is kept.
            line => Assert.Equal(
                new BankStatementLine(
                    "0182240319000001234", 75.25m, "EUR", true, "BOOK", new DateOnly(2024, 3, 19),
                    "Ref. 120042 recarga", "PEDRO SANCHEZ RUIZ", "ES3320950611050091234567", "CP-120042"),
                line),
            // Pending: no booking date, no AcctSvcrRef, so NtryRef is the reference.
            line => Assert.Equal(
                new BankStatementLine(
                    "PDNG-0319-0007", 1000.00m, "EUR", true, "PDNG", null, "CONCEPTO 120043",
                    "INVERSIONES LEVANTE SA", "ES5021030720970030012345", "E2E-TRF-88120"),
                line));
    }

    [Theory]
    [InlineData(Camt053V02)]
    [InlineData(Camt053V04)]
    [InlineData(Camt054V08)]
    public void ReferencesAreUniqueAndStableAcrossReimports(string sample)
    {
        var first = ParseSample(sample).Lines.Select(l => l.EntryReference).ToList();
        var second = ParseSample(sample).Lines.Select(l => l.EntryReference).ToList();

        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void AmountsAreParsedExactlyWhateverTheCurrentCulture()
    {
        var original = CultureInfo.CurrentCulture;
        var commaDecimal = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaDecimal.NumberFormat.NumberDecimalSeparator = ",";
        commaDecimal.NumberFormat.NumberGroupSeparator = ".";
        try
        {
            CultureInfo.CurrentCulture = commaDecimal;
            var line = ParseSample(Camt053V02).Lines[1];

            Assert.Equal(1234.5m, line.Amount);
            // Same scale as written: no rounding, no trip through double.
            Assert.Equal("1234.5", line.Amount.ToString(CultureInfo.InvariantCulture));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Theory]
    [InlineData("1234.5", "1234.5")]
    [InlineData("0.01", "0.01")]
    [InlineData("100", "100")]
    [InlineData(" 42.10 ", "42.10")]
    [InlineData("9999999999999.99999", "9999999999999.99999")]
    public void AmountsKeepEveryDigit(string written, string expected)
    {
        var line = Assert.Single(ParseXml(Camt053(Entry(written, servicerRef: "R1"))).Lines);

        Assert.Equal(expected, line.Amount.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("02")]
    [InlineData("04")]
    [InlineData("08")]
    [InlineData("13")]
    public void AnyCamt053VersionIsAccepted(string version)
    {
        var statement = ParseXml(Camt053(Entry(servicerRef: "R1"), version));

        Assert.Equal("001." + version, statement.Version);
        Assert.Equal("R1", Assert.Single(statement.Lines).EntryReference);
    }

    [Fact]
    public void StatusCanBeAProprietaryCode()
    {
        var xml = Camt053(Entry(servicerRef: "R1"), "08").Replace(
            "<Sts>BOOK</Sts>", "<Sts><Prtry>BOOKED-LOCAL</Prtry></Sts>", StringComparison.Ordinal);

        Assert.Equal("BOOKED-LOCAL", Assert.Single(ParseXml(xml).Lines).Status);
    }

    [Fact]
    public void BatchWithoutTransactionReferencesGetsNumberedEntryReferences()
    {
        var details = """
            <NtryDtls>
              <TxDtls><Amt Ccy="EUR">6.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>
              <TxDtls><Amt Ccy="EUR">4.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></TxDtls>
            </NtryDtls>
            """;

        var lines = ParseXml(Camt053(Entry("2.00", servicerRef: "BATCH-7", details: details), "04")).Lines;

        Assert.Equal(["BATCH-7", "BATCH-7#2"], lines.Select(l => l.EntryReference));
        Assert.Equal([6.00m, 4.00m], lines.Select(l => l.Amount));
        // A transaction's own indicator wins over the entry's (a return inside a netted batch).
        Assert.Equal([true, false], lines.Select(l => l.IsCredit));
    }

    [Fact]
    public void ReferenceFallsBackToNtryRefThenEndToEndId()
    {
        var withEndToEnd = """
            <NtryDtls><TxDtls><Refs><EndToEndId>E2E-55</EndToEndId></Refs></TxDtls></NtryDtls>
            """;
        var entries = Entry(entryRef: "NTRY-1", details: withEndToEnd) + Entry(details: withEndToEnd);

        var lines = ParseXml(Camt053(entries)).Lines;

        Assert.Equal(["NTRY-1", "E2E-55"], lines.Select(l => l.EntryReference));
    }

    [Fact]
    public void EntriesWithoutAnyReferenceGetAStableHash()
    {
        var notProvided = """
            <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls></NtryDtls>
            """;
        // Two identical entries: the position in the statement keeps their hashes apart.
        var xml = Camt053(Entry("10.00", details: notProvided) + Entry("10.00"));

        var first = ParseXml(xml).Lines.Select(l => l.EntryReference).ToList();
        var second = ParseXml(xml).Lines.Select(l => l.EntryReference).ToList();

        Assert.Equal(first, second);
        Assert.All(first, reference => Assert.Matches("^hash:[0-9a-f]{64}$", reference));
        Assert.NotEqual(first[0], first[1]);
    }

    [Fact]
    public void RemittanceJoinsEveryUnstructuredLineThenStructuredReferences()
    {
        var details = """
            <NtryDtls><TxDtls><RmtInf>
              <Ustrd>  PEDIDO 120044  </Ustrd>
              <Ustrd>pago parcial</Ustrd>
              <Strd><CdtrRefInf><Ref>RF71120044</Ref></CdtrRefInf></Strd>
              <Strd><CdtrRefInf><Ref> 120045 </Ref></CdtrRefInf></Strd>
            </RmtInf></TxDtls></NtryDtls>
            """;

        var line = Assert.Single(ParseXml(Camt053(Entry(servicerRef: "R1", details: details))).Lines);

        Assert.Equal("PEDIDO 120044 pago parcial RF71120044 120045", line.RemittanceInformation);
    }

    [Fact]
    public void StatementWithoutEntriesHasNoLines()
    {
        var statement = ParseXml(Camt053(string.Empty));

        Assert.Equal("STMT-1", statement.StatementId);
        Assert.Empty(statement.Lines);
    }

    [Fact]
    public void PrefixedElementsAreMatchedByNamespaceNotPrefix()
    {
        var xml = """
            <c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
              <c:BkToCstmrDbtCdtNtfctn>
                <c:GrpHdr><c:MsgId>M</c:MsgId><c:CreDtTm>2024-03-15T06:00:00</c:CreDtTm></c:GrpHdr>
                <c:Ntfctn>
                  <c:Id>N-1</c:Id>
                  <c:CreDtTm>2024-03-15T06:00:00</c:CreDtTm>
                  <c:Acct><c:Id><c:IBAN>ES2721005731780200123456</c:IBAN></c:Id></c:Acct>
                  <c:Ntry>
                    <c:Amt Ccy="EUR">12.00</c:Amt>
                    <c:CdtDbtInd>CRDT</c:CdtDbtInd>
                    <c:Sts>INFO</c:Sts>
                    <c:AcctSvcrRef>R-9</c:AcctSvcrRef>
                    <c:BkTxCd/>
                  </c:Ntry>
                </c:Ntfctn>
              </c:BkToCstmrDbtCdtNtfctn>
            </c:Document>
            """;

        var statement = ParseXml(xml);

        Assert.Equal("N-1", statement.StatementId);
        Assert.Equal(
            new BankStatementLine("R-9", 12.00m, "EUR", true, "INFO", null, null, null, null, null),
            Assert.Single(statement.Lines));
    }

    [Fact]
    public void DeclaredLatin1EncodingIsHonoured()
    {
        // Some Spanish banks still export ISO-8859-1; the declaration, not a UTF-8 assumption, must decide.
        var details = """
            <NtryDtls><TxDtls>
              <RltdPties><Dbtr><Nm>José Muñoz Peña</Nm></Dbtr></RltdPties>
              <RmtInf><Ustrd>Señal pedido 120046</Ustrd></RmtInf>
            </TxDtls></NtryDtls>
            """;
        var xml = Camt053(Entry(servicerRef: "R1", details: details))
            .Replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", StringComparison.Ordinal);
        using var stream = new MemoryStream(Encoding.Latin1.GetBytes(xml));

        var line = Assert.Single(BankStatementParser.Parse(stream).Lines);

        Assert.Equal("José Muñoz Peña", line.DebtorName);
        Assert.Equal("Señal pedido 120046", line.RemittanceInformation);
    }

    [Fact]
    public void CallersStreamIsLeftOpen()
    {
        using var stream = Open(Camt053V02);

        BankStatementParser.Parse(stream);

        Assert.True(stream.CanRead);
    }
}
