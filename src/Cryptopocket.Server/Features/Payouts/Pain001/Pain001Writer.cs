using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Cryptopocket.Server.Features.Customers.Identity;

namespace Cryptopocket.Server.Features.Payouts.Pain001;

/// <summary>
/// Writes an ISO 20022 <c>pain.001.001.09</c> customer credit transfer initiation that follows the EPC SEPA Credit
/// Transfer customer-to-PSP implementation guidelines, for the operator to upload to the bank that pays customers.
/// </summary>
public static partial class Pain001Writer
{
    /// <summary>XML namespace of the message version EPC currently requires for customer-to-bank files.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

    /// <summary>Largest amount the SEPA Credit Transfer scheme allows in one transfer.</summary>
    public const decimal MaxAmount = 999_999_999.99m;

    /// <summary>EPC limit for every <c>Nm</c>, although ISO allows 140.</summary>
    public const int MaxNameLength = 70;

    /// <summary>Length of the single <c>Ustrd</c> occurrence EPC allows.</summary>
    public const int MaxRemittanceLength = 140;

    private const int MaxIdLength = 35;

    /// <summary>
    /// Validates <paramref name="batch"/> and returns the document. Names and remittance information are
    /// transliterated into the EPC character set and truncated; identifiers, amounts, IBANs and BICs are never
    /// altered beyond removing IBAN spaces and upper-casing, so a bad one is refused rather than silently paid.
    /// </summary>
    /// <exception cref="ArgumentException">The batch cannot become a valid SEPA credit transfer file.</exception>
    public static string Write(CreditTransferBatch batch)
    {
        var payment = Prepare(batch);

        var settings = new XmlWriterSettings
        {
            // A byte order mark would survive into the returned string as a leading U+FEFF.
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            NewLineChars = "\n",
        };
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, settings))
        {
            WriteDocument(xml, payment);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteDocument(XmlWriter xml, Payment payment)
    {
        var count = payment.Transfers.Count.ToString(CultureInfo.InvariantCulture);
        var controlSum = FormatAmount(payment.Transfers.Sum(transfer => transfer.Amount));

        xml.WriteStartDocument();
        Open(xml, "Document");
        Open(xml, "CstmrCdtTrfInitn");

        Open(xml, "GrpHdr");
        Leaf(xml, "MsgId", payment.MessageId);
        Leaf(xml, "CreDtTm", payment.CreatedAt);
        Leaf(xml, "NbOfTxs", count);
        Leaf(xml, "CtrlSum", controlSum);
        Party(xml, "InitgPty", payment.InitiatingPartyName);
        xml.WriteEndElement();

        Open(xml, "PmtInf");
        Leaf(xml, "PmtInfId", payment.MessageId);
        Leaf(xml, "PmtMtd", "TRF");
        // One debit per payout keeps each of them individually visible, and matchable, on the bank statement.
        Leaf(xml, "BtchBookg", "false");
        Leaf(xml, "NbOfTxs", count);
        Leaf(xml, "CtrlSum", controlSum);
        Open(xml, "PmtTpInf");
        Open(xml, "SvcLvl");
        Leaf(xml, "Cd", "SEPA");
        xml.WriteEndElement();
        xml.WriteEndElement();
        Open(xml, "ReqdExctnDt");
        Leaf(xml, "Dt", payment.ExecutionDate);
        xml.WriteEndElement();
        Party(xml, "Dbtr", payment.DebtorName);
        Account(xml, "DbtrAcct", payment.DebtorIban);
        Open(xml, "DbtrAgt");
        Open(xml, "FinInstnId");
        if (payment.DebtorBic is null)
        {
            Open(xml, "Othr");
            Leaf(xml, "Id", "NOTPROVIDED");
            xml.WriteEndElement();
        }
        else
        {
            Leaf(xml, "BICFI", payment.DebtorBic);
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        Leaf(xml, "ChrgBr", "SLEV");
        foreach (var transfer in payment.Transfers)
        {
            WriteTransfer(xml, transfer);
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteTransfer(XmlWriter xml, Transfer transfer)
    {
        Open(xml, "CdtTrfTxInf");
        Open(xml, "PmtId");
        Leaf(xml, "EndToEndId", transfer.EndToEndId);
        xml.WriteEndElement();
        Open(xml, "Amt");
        Open(xml, "InstdAmt");
        xml.WriteAttributeString("Ccy", "EUR");
        xml.WriteString(FormatAmount(transfer.Amount));
        xml.WriteEndElement();
        xml.WriteEndElement();
        // EPC: without a BIC the whole creditor agent is left out; the IBAN is enough inside SEPA.
        if (transfer.CreditorBic is not null)
        {
            Open(xml, "CdtrAgt");
            Open(xml, "FinInstnId");
            Leaf(xml, "BICFI", transfer.CreditorBic);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        Party(xml, "Cdtr", transfer.CreditorName);
        Account(xml, "CdtrAcct", transfer.CreditorIban);
        if (transfer.Remittance is not null)
        {
            Open(xml, "RmtInf");
            Leaf(xml, "Ustrd", transfer.Remittance);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void Open(XmlWriter xml, string name) => xml.WriteStartElement(name, Namespace);

    private static void Leaf(XmlWriter xml, string name, string value) =>
        xml.WriteElementString(name, Namespace, value);

    private static void Party(XmlWriter xml, string name, string partyName)
    {
        Open(xml, name);
        Leaf(xml, "Nm", partyName);
        xml.WriteEndElement();
    }

    private static void Account(XmlWriter xml, string name, string iban)
    {
        Open(xml, name);
        Open(xml, "Id");
        Leaf(xml, "IBAN", iban);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static string FormatAmount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static Payment Prepare(CreditTransferBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var messageId = RequireId(batch.MessageId, "MessageId");
        var initiatingPartyName = RequireName(batch.InitiatingPartyName, "InitiatingPartyName");
        var debtor = batch.Debtor ?? throw Invalid("Debtor is required.");
        var debtorName = RequireName(debtor.Name, "Debtor.Name");
        var debtorIban = RequireIban(debtor.Iban, "Debtor.Iban");
        var debtorBic = OptionalBic(debtor.Bic, "Debtor.Bic");
        if (batch.Transfers is not { Count: > 0 })
        {
            throw Invalid("The batch has no credit transfers; a pain.001 file needs at least one.");
        }

        var transfers = new List<Transfer>(batch.Transfers.Count);
        var endToEndIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Transfers.Count; i++)
        {
            var field = "Transfers[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            var transfer = batch.Transfers[i] ?? throw Invalid(field + " is null.");
            var endToEndId = RequireId(transfer.EndToEndId, field + ".EndToEndId");
            if (!endToEndIds.Add(endToEndId))
            {
                // The customer's bank shows this reference; two payouts sharing it are most likely one paid twice.
                throw Invalid($"{field}.EndToEndId '{endToEndId}' is already used by an earlier transfer of the batch.");
            }

            transfers.Add(new Transfer(
                endToEndId,
                RequireAmount(transfer.Amount, field + ".Amount"),
                RequireName(transfer.CreditorName, field + ".CreditorName"),
                RequireIban(transfer.CreditorIban, field + ".CreditorIban"),
                OptionalBic(transfer.CreditorBic, field + ".CreditorBic"),
                OptionalText(transfer.RemittanceInformation, MaxRemittanceLength)));
        }

        return new Payment(
            messageId,
            batch.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            initiatingPartyName,
            debtorName,
            debtorIban,
            debtorBic,
            batch.RequestedExecutionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            transfers);
    }

    // EPC rule for references: they must pass every PSP of the chain unchanged, so they are restricted to the
    // character set and may not start or end with '/' nor contain "//" (both are field separators for some PSPs).
    private static string RequireId(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Invalid(field + " is required.");
        }

        if (value.Length > MaxIdLength)
        {
            throw Invalid($"{field} '{value}' is longer than {MaxIdLength} characters.");
        }

        if (!value.All(EpcText.IsAllowed))
        {
            throw Invalid($"{field} '{value}' may only contain a-z A-Z 0-9 / - ? : ( ) . , ' + and space.");
        }

        if (value[0] == '/' || value[^1] == '/' || value.Contains("//", StringComparison.Ordinal))
        {
            throw Invalid($"{field} '{value}' may not start or end with '/' nor contain \"//\".");
        }

        // Banks commonly trim references, after which returns and statements would no longer match this one.
        if (value[0] == ' ' || value[^1] == ' ')
        {
            throw Invalid($"{field} '{value}' may not start or end with a space.");
        }

        return value;
    }

    private static decimal RequireAmount(decimal amount, string field)
    {
        var shown = amount.ToString(CultureInfo.InvariantCulture);
        if (amount <= 0)
        {
            throw Invalid($"{field} must be greater than zero, got {shown}.");
        }

        if (amount > MaxAmount)
        {
            throw Invalid($"{field} {shown} is above the SEPA maximum of 999999999.99 EUR.");
        }

        if (decimal.Round(amount, 2) != amount)
        {
            throw Invalid($"{field} {shown} has more than two decimals; EUR amounts are in whole cents.");
        }

        return amount;
    }

    private static string RequireName(string? value, string field)
    {
        var name = OptionalText(value, MaxNameLength);
        if (name is null || !name.Any(char.IsAsciiLetterOrDigit))
        {
            throw Invalid($"{field} is required and must keep at least one letter or digit in the SEPA character set.");
        }

        return name;
    }

    private static string RequireIban(string? value, string field)
    {
        if (!Iban.IsValid(value ?? string.Empty, out var normalized))
        {
            throw Invalid($"{field} '{value}' is not a valid IBAN.");
        }

        return normalized;
    }

    private static string? OptionalBic(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var bic = value.Trim().ToUpperInvariant();
        if (!BicPattern().IsMatch(bic))
        {
            throw Invalid($"{field} '{value}' is not a BIC (8 or 11 letters and digits).");
        }

        return bic;
    }

    private static string? OptionalText(string? value, int maxLength)
    {
        var text = EpcText.Convert(value ?? string.Empty, maxLength);
        return text.Length == 0 ? null : text;
    }

    private static ArgumentException Invalid(string message) => new(message);

    // ISO 9362 BIC: institution (4), country (2, letters), location (2), optional branch (3).
    [GeneratedRegex(@"^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex BicPattern();

    private sealed record Payment(
        string MessageId,
        string CreatedAt,
        string InitiatingPartyName,
        string DebtorName,
        string DebtorIban,
        string? DebtorBic,
        string ExecutionDate,
        IReadOnlyList<Transfer> Transfers);

    private sealed record Transfer(
        string EndToEndId,
        decimal Amount,
        string CreditorName,
        string CreditorIban,
        string? CreditorBic,
        string? Remittance);

    /// <summary>Conversion of free text into the EPC "Latin character set" every SEPA PSP must accept.</summary>
    internal static partial class EpcText
    {
        public static bool IsAllowed(char c) =>
            char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '?' or ':' or '(' or ')' or '.' or ',' or '\'' or '+' or ' ';

        /// <summary>
        /// Transliterates to the character set, turns any other character into '.', collapses whitespace and
        /// truncates to <paramref name="maxLength"/>. PSPs may reject or garble characters outside the set, so
        /// doing it here keeps the result predictable and readable.
        /// </summary>
        public static string Convert(string value, int maxLength)
        {
            // string.Normalize throws on a lone surrogate; enumerating runes turns it into U+FFFD first.
            var wellFormed = new StringBuilder(value.Length);
            foreach (var rune in value.EnumerateRunes())
            {
                wellFormed.Append(rune.ToString());
            }

            // Compatibility decomposition separates accents from their letters (é → e + ´) and folds ligatures,
            // full-width and superscript forms (ﬁ → fi, Ａ → A, ² → 2) into plain characters.
            var decomposed = wellFormed.ToString().Normalize(NormalizationForm.FormKD);
            var builder = new StringBuilder(decomposed.Length);
            foreach (var rune in decomposed.EnumerateRunes())
            {
                if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark
                    or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                {
                    continue;
                }

                if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
                {
                    builder.Append(' ');
                }
                else if (rune.IsBmp && IsAllowed((char)rune.Value))
                {
                    builder.Append((char)rune.Value);
                }
                else
                {
                    builder.Append(rune.IsBmp ? Transliterate((char)rune.Value) : ".");
                }
            }

            var text = Spaces().Replace(builder.ToString(), " ").Trim();
            return text.Length <= maxLength ? text : text[..maxLength].TrimEnd();
        }

        // Letters that have no decomposition into a base letter plus accent, and the usual typographic
        // substitutes of allowed punctuation.
        private static string Transliterate(char c) => c switch
        {
            'ß' => "ss",
            'ẞ' => "SS",
            'æ' => "ae",
            'Æ' => "AE",
            'œ' => "oe",
            'Œ' => "OE",
            'ø' => "o",
            'Ø' => "O",
            'đ' or 'ð' => "d",
            'Đ' or 'Ð' => "D",
            'þ' => "th",
            'Þ' => "TH",
            'ł' => "l",
            'Ł' => "L",
            'ħ' => "h",
            'Ħ' => "H",
            'ı' => "i",
            'ŧ' => "t",
            'Ŧ' => "T",
            'ŋ' => "n",
            'Ŋ' => "N",
            'ĸ' => "k",
            '&' => "+",
            '_' or '‐' or '‑' or '‒' or '–' or '—' or '−' => "-",
            '"' or '`' or '‘' or '’' or '‚' or '‛' or '“' or '”' or '„' or 'ʼ' => "'",
            _ => ".",
        };

        [GeneratedRegex(" {2,}", RegexOptions.CultureInvariant)]
        private static partial Regex Spaces();
    }
}
