using System.Globalization;
using System.Security;
using System.Text;

namespace Cryptopocket.Server.Tests.Infrastructure;

/// <summary>Writes minimal but schema-shaped camt.053.001.02 statements for reconciliation tests.</summary>
public static class Camt053
{
    public sealed record Credit(decimal Amount, string Remittance, string Reference, string Currency = "EUR", bool Booked = true, bool IsCredit = true);

    public static MemoryStream Statement(string accountIban, params Credit[] entries)
    {
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
              <BkToCstmrStmt>
                <GrpHdr><MsgId>MSG-{Guid.NewGuid():N}</MsgId><CreDtTm>2026-11-21T10:00:00</CreDtTm></GrpHdr>
                <Stmt>
                  <Id>STMT-{Guid.NewGuid():N}</Id>
                  <CreDtTm>2026-11-21T10:00:00</CreDtTm>
                  <Acct><Id><IBAN>{accountIban}</IBAN></Id></Acct>
            """);
        foreach (var entry in entries)
        {
            xml.Append(CultureInfo.InvariantCulture, $"""
                      <Ntry>
                        <Amt Ccy="{entry.Currency}">{entry.Amount.ToString(CultureInfo.InvariantCulture)}</Amt>
                        <CdtDbtInd>{(entry.IsCredit ? "CRDT" : "DBIT")}</CdtDbtInd>
                        <Sts>{(entry.Booked ? "BOOK" : "PDNG")}</Sts>
                        <BookgDt><Dt>2026-11-21</Dt></BookgDt>
                        <ValDt><Dt>2026-11-21</Dt></ValDt>
                        <AcctSvcrRef>{SecurityElement.Escape(entry.Reference)}</AcctSvcrRef>
                        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
                        <NtryDtls><TxDtls>
                          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
                          <RltdPties><Dbtr><Nm>LUCIA GARCIA PEREZ</Nm></Dbtr><DbtrAcct><Id><IBAN>ES7921000813610123456789</IBAN></Id></DbtrAcct></RltdPties>
                          <RmtInf><Ustrd>{SecurityElement.Escape(entry.Remittance)}</Ustrd></RmtInf>
                        </TxDtls></NtryDtls>
                      </Ntry>
                """);
        }
        xml.Append("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n");
        return new MemoryStream(Encoding.UTF8.GetBytes(xml.ToString()));
    }
}
