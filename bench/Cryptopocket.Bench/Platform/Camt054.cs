using System.Globalization;
using System.Security;
using System.Text;

namespace Cryptopocket.Bench.Platform;

/// <summary>One incoming SEPA credit: a transfer purchase's exact amount, its concept in the remittance information.</summary>
public sealed record BankCredit(decimal Amount, long Concept, string Reference);

/// <summary>
/// Writes an intraday camt.054.001.02 credit notification (one account, one booked credit entry per purchase), the
/// file a bank sends as transfers arrive; <c>cryptopocket bank import FILE</c> matches each by concept and amount.
/// </summary>
public static class Camt054
{
    /// <summary>The sandbox's collection account (Payments:BankIban in appsettings.json): notifications are for it.</summary>
    public const string SandboxBankIban = "ES6867130002530016234794";

    public static string Notification(IEnumerable<BankCredit> credits)
    {
        var now = DateTime.UtcNow;
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
              <BkToCstmrDbtCdtNtfctn>
                <GrpHdr><MsgId>BENCH-{Guid.NewGuid():N}</MsgId><CreDtTm>{now:yyyy-MM-ddTHH:mm:ss}</CreDtTm></GrpHdr>
                <Ntfctn>
                  <Id>NTF-{Guid.NewGuid():N}</Id>
                  <CreDtTm>{now:yyyy-MM-ddTHH:mm:ss}</CreDtTm>
                  <Acct><Id><IBAN>{SandboxBankIban}</IBAN></Id></Acct>

            """);
        foreach (var credit in credits)
        {
            xml.Append(CultureInfo.InvariantCulture, $"""
                      <Ntry>
                        <Amt Ccy="EUR">{credit.Amount.ToString("0.00", CultureInfo.InvariantCulture)}</Amt>
                        <CdtDbtInd>CRDT</CdtDbtInd>
                        <Sts>BOOK</Sts>
                        <BookgDt><Dt>{now:yyyy-MM-dd}</Dt></BookgDt>
                        <ValDt><Dt>{now:yyyy-MM-dd}</Dt></ValDt>
                        <AcctSvcrRef>{SecurityElement.Escape(credit.Reference)}</AcctSvcrRef>
                        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
                        <NtryDtls><TxDtls>
                          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
                          <RltdPties><Dbtr><Nm>LUCIA GARCIA PEREZ</Nm></Dbtr><DbtrAcct><Id><IBAN>ES7921000813610123456789</IBAN></Id></DbtrAcct></RltdPties>
                          <RmtInf><Ustrd>COMPRA CRIPTO {credit.Concept.ToString(CultureInfo.InvariantCulture)}</Ustrd></RmtInf>
                        </TxDtls></NtryDtls>
                      </Ntry>

                """);
        }
        xml.Append("    </Ntfctn>\n  </BkToCstmrDbtCdtNtfctn>\n</Document>\n");
        return xml.ToString();
    }
}
