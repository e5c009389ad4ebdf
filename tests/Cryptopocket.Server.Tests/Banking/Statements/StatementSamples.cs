using System.Text;

namespace Cryptopocket.Server.Tests.Banking.Statements;

/// <summary>Access to the sample files and small hand-written documents shared by the statement tests.</summary>
internal static class StatementSamples
{
    public const string Camt053V02 = "camt.053.001.02.xml";
    public const string Camt053V04 = "camt.053.001.04.xml";
    public const string Camt054V08 = "camt.054.001.08.xml";

    // The samples are copied next to the test assembly (CopyToOutputDirectory), so they are read as plain files:
    // what is tested is byte-for-byte what a bank would upload, with no resource-name mangling in between.
    public static string PathOf(string name) =>
        Path.Combine(AppContext.BaseDirectory, "Banking", "Statements", "Samples", name);

    public static FileStream Open(string name) => File.OpenRead(PathOf(name));

    public static string Read(string name) => File.ReadAllText(PathOf(name), Encoding.UTF8);

    public static MemoryStream ToStream(string xml) => new(Encoding.UTF8.GetBytes(xml));

    /// <summary>A minimal camt.053 of the given version around the given <c>Ntry</c> elements.</summary>
    public static string Camt053(string entries, string version = "02") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2024-03-15T06:00:00+01:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>STMT-1</Id>
              <CreDtTm>2024-03-15T06:00:00+01:00</CreDtTm>
              <Acct><Id><IBAN>ES2721005731780200123456</IBAN></Id></Acct>
              <Bal>
                <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
                <Amt Ccy="EUR">0.00</Amt>
                <CdtDbtInd>CRDT</CdtDbtInd>
                <Dt><Dt>2024-03-15</Dt></Dt>
              </Bal>
              {entries}
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """;

    /// <summary>A booked credit entry of the version-02 shape, elements in schema order.</summary>
    public static string Entry(
        string amount = "10.00", string? entryRef = null, string? servicerRef = null, string details = "")
    {
        var ntryRef = entryRef is null ? string.Empty : $"<NtryRef>{entryRef}</NtryRef>";
        var acctSvcrRef = servicerRef is null ? string.Empty : $"<AcctSvcrRef>{servicerRef}</AcctSvcrRef>";
        return $"""
            <Ntry>
              {ntryRef}
              <Amt Ccy="EUR">{amount}</Amt>
              <CdtDbtInd>CRDT</CdtDbtInd>
              <Sts>BOOK</Sts>
              <BookgDt><Dt>2024-03-15</Dt></BookgDt>
              {acctSvcrRef}
              <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
              {details}
            </Ntry>
            """;
    }
}
