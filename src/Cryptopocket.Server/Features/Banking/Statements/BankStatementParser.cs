using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Cryptopocket.Server.Features.Banking.Statements;

/// <summary>
/// Reads ISO 20022 bank-to-customer statements (camt.053) and debit/credit notifications (camt.054) of any
/// <c>001.XX</c> version into one <see cref="BankStatementLine"/> per transaction, for reconciling incoming SEPA
/// transfers.
/// </summary>
/// <remarks>
/// The document is streamed: only one <c>Ntry</c> at a time is materialised, and everything the reconciliation does
/// not need (group header, balances, totals…) is skipped unread, so memory stays proportional to the largest entry
/// rather than to the file. Together with the size cap and the prohibition of DTDs this keeps a hostile upload from
/// exhausting memory or making the server fetch URLs.
/// </remarks>
public static partial class BankStatementParser
{
    /// <summary>Largest input accepted (50 MB); daily statements are normally far smaller.</summary>
    public const long MaxInputBytes = 50L * 1024 * 1024;

    // The SEPA rulebook makes EndToEndId mandatory, so payers that have none send this placeholder; it identifies
    // nothing and would make every such transfer collide as the "same" reference.
    private const string NotProvided = "NOTPROVIDED";

    /// <summary>Parses a camt.053 or camt.054 document. The stream is read but not disposed.</summary>
    /// <exception cref="BankStatementFormatException">
    /// The input is not well-formed XML, contains a DTD, exceeds <see cref="MaxInputBytes"/>, is not camt.053 or
    /// camt.054, or has an entry without amount, currency, credit/debit indicator or status.
    /// </exception>
    public static BankStatement Parse(Stream xml) => Parse(xml, MaxInputBytes);

    // Separate so tests can prove the size cap with a small limit instead of generating 50 MB.
    internal static BankStatement Parse(Stream xml, long maxInputBytes)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInputBytes);

        // Fail before reading a byte when the stream knows it is too big; the counting stream below covers streams
        // (request bodies, network) that cannot tell their length.
        if (xml.CanSeek && xml.Length - xml.Position > maxInputBytes)
        {
            throw TooLarge(maxInputBytes);
        }

        var settings = new XmlReaderSettings
        {
            // No DTD means no entity declarations at all: closes billion-laughs expansion and external entities.
            DtdProcessing = DtdProcessing.Prohibit,
            // Nothing in the document may make the server open a file or a URL.
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
        };

        try
        {
            using var bounded = new BoundedReadStream(xml, maxInputBytes);
            using var reader = XmlReader.Create(bounded, settings);
            return ReadDocument(reader);
        }
        catch (XmlException ex)
        {
            throw new BankStatementFormatException(
                $"The bank statement is not well-formed XML or uses a forbidden construct such as a DTD: {ex.Message}",
                ex);
        }
    }

    private static BankStatement ReadDocument(XmlReader reader)
    {
        reader.MoveToContent();
        var match = CamtNamespace().Match(reader.NamespaceURI);
        if (reader.LocalName != "Document" || !match.Success)
        {
            throw new BankStatementFormatException(
                "Expected an ISO 20022 camt.053 or camt.054 <Document> in namespace "
                + $"'urn:iso:std:iso:20022:tech:xsd:camt.05x.001.XX', found <{reader.LocalName}> in namespace "
                + $"'{reader.NamespaceURI}'.");
        }

        var messageType = match.Groups["type"].Value;
        var version = "001." + match.Groups["version"].Value;
        XNamespace ns = reader.NamespaceURI;
        var isStatement = messageType == "camt.053";
        var wrapperName = isStatement ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn";
        var blockName = isStatement ? "Stmt" : "Ntfctn";

        Block? block = null;
        ReadChildren(reader, wrapper =>
        {
            if (!IsElement(wrapper, ns, wrapperName))
            {
                return false;
            }

            ReadChildren(wrapper, child =>
            {
                if (!IsElement(child, ns, blockName))
                {
                    return false;
                }

                // The record carries one account and one statement id; silently merging several accounts would
                // credit a transfer received on one account against another, so such files are refused outright.
                if (block is not null)
                {
                    throw new BankStatementFormatException(
                        $"The {messageType} document contains more than one {blockName} block (the first is "
                        + $"'{block.Id}'); only single-account documents are supported.");
                }

                block = ReadBlock(child, ns, blockName);
                return true;
            });
            return true;
        });

        if (block is null)
        {
            throw new BankStatementFormatException(
                $"The {messageType} document has no {wrapperName}/{blockName} block.");
        }

        // Read to the end so that anything after </Document> (say, a second statement pasted into the same upload)
        // fails as malformed instead of being silently ignored.
        while (reader.Read())
        {
        }

        return new BankStatement(messageType, version, block.Id, block.AccountIban, Finish(block));
    }

    private static Block ReadBlock(XmlReader reader, XNamespace ns, string blockName)
    {
        var block = new Block();
        ReadChildren(reader, child =>
        {
            if (child.NamespaceURI != ns.NamespaceName)
            {
                return false;
            }

            switch (child.LocalName)
            {
                case "Id":
                    block.Id = Clean(child.ReadElementContentAsString());
                    return true;
                case "Acct":
                    var account = (XElement)XNode.ReadFrom(child);
                    block.AccountIban = Text(account.Element(ns + "Id")?.Element(ns + "IBAN"));
                    return true;
                case "Ntry":
                    var entry = (XElement)XNode.ReadFrom(child);
                    block.EntryCount++;
                    block.Lines.AddRange(ReadEntry(entry, ns, block.EntryCount, blockName));
                    return true;
                default:
                    return false;
            }
        });
        return block;
    }

    private static List<LineDraft> ReadEntry(XElement entry, XNamespace ns, int entryNumber, string blockName)
    {
        var entryServicerRef = Text(entry.Element(ns + "AcctSvcrRef"));
        var entryRef = Text(entry.Element(ns + "NtryRef"));
        var label = entryServicerRef ?? entryRef;
        var where = label is null
            ? string.Create(CultureInfo.InvariantCulture, $"{blockName} entry {entryNumber}")
            : string.Create(CultureInfo.InvariantCulture, $"{blockName} entry {entryNumber} ({label})");

        var (entryAmount, entryCurrency) = ReadAmount(entry.Element(ns + "Amt"), where);
        var entryIsCredit = ReadDirection(entry.Element(ns + "CdtDbtInd"), where);
        var status = ReadStatus(entry.Element(ns + "Sts"), ns, where);
        var bookingDate = ReadBookingDate(entry.Element(ns + "BookgDt"), ns, where);

        var transactions = entry.Elements(ns + "NtryDtls").Elements(ns + "TxDtls").ToList();
        if (transactions.Count == 0)
        {
            return
            [
                new LineDraft(
                    entryServicerRef ?? entryRef, entryNumber, 1, entryAmount, entryCurrency, entryIsCredit, status,
                    bookingDate, null, null, null, null),
            ];
        }

        var lines = new List<LineDraft>(transactions.Count);
        for (var i = 0; i < transactions.Count; i++)
        {
            var tx = transactions[i];
            var txWhere = string.Create(CultureInfo.InvariantCulture, $"{where}, transaction {i + 1}");

            // Version 02 has no TxDtls/Amt (version 04 makes it mandatory, 08 optional again); AmtDtls/TxAmt is how
            // version 02, and some banks later, report the part of a batch booking that belongs to this transaction.
            var ownAmount = tx.Element(ns + "Amt")
                ?? tx.Element(ns + "AmtDtls")?.Element(ns + "TxAmt")?.Element(ns + "Amt");
            decimal amount;
            string currency;
            if (ownAmount is not null)
            {
                (amount, currency) = ReadAmount(ownAmount, txWhere);
            }
            else if (transactions.Count == 1)
            {
                (amount, currency) = (entryAmount, entryCurrency);
            }
            else
            {
                // Guessing a split of a batch would credit customers with invented amounts.
                throw new BankStatementFormatException(
                    $"{txWhere} has no amount, so the batch of {transactions.Count} transactions cannot be split.");
            }

            var isCredit = tx.Element(ns + "CdtDbtInd") is { } direction
                ? ReadDirection(direction, txWhere)
                : entryIsCredit;

            var refs = tx.Element(ns + "Refs");
            var txServicerRef = Text(refs?.Element(ns + "AcctSvcrRef"));
            var endToEndId = Text(refs?.Element(ns + "EndToEndId"));
            if (string.Equals(endToEndId, NotProvided, StringComparison.OrdinalIgnoreCase))
            {
                endToEndId = null;
            }

            var parties = tx.Element(ns + "RltdPties");
            var debtor = parties?.Element(ns + "Dbtr");
            // Up to version 07 Dbtr is the party itself; from 08 it is a choice wrapping it in Pty (or Agt).
            var debtorName = Text(debtor?.Element(ns + "Nm")) ?? Text(debtor?.Element(ns + "Pty")?.Element(ns + "Nm"));
            var debtorIban = Text(parties?.Element(ns + "DbtrAcct")?.Element(ns + "Id")?.Element(ns + "IBAN"));

            lines.Add(new LineDraft(
                txServicerRef ?? entryServicerRef ?? entryRef ?? endToEndId,
                entryNumber,
                i + 1,
                amount,
                currency,
                isCredit,
                status,
                bookingDate,
                ReadRemittance(tx, ns),
                debtorName,
                debtorIban,
                endToEndId));
        }

        return lines;
    }

    private static List<BankStatementLine> Finish(Block block)
    {
        // References are made unique per document so a bank that repeats one (typically the entry's AcctSvcrRef on
        // every transaction of a batch) cannot make the importer drop a real transfer as a "duplicate". The suffix
        // depends only on document order, so re-importing the same file yields the same references.
        var used = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<BankStatementLine>(block.Lines.Count);
        foreach (var draft in block.Lines)
        {
            var reference = draft.Reference ?? HashReference(block.Id, draft);
            var unique = reference;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{reference}#{n}");
            }

            lines.Add(new BankStatementLine(
                unique,
                draft.Amount,
                draft.Currency,
                draft.IsCredit,
                draft.Status,
                draft.BookingDate,
                draft.RemittanceInformation,
                draft.DebtorName,
                draft.DebtorIban,
                draft.EndToEndId));
        }

        return lines;
    }

    // Last resort for banks that send no reference at all. It is stable for a byte-identical re-import only: if the
    // bank re-issues the statement with another id or another entry order, the hash changes.
    private static string HashReference(string? statementId, LineDraft draft)
    {
        var key = string.Join(
            '|',
            statementId ?? string.Empty,
            draft.EntryNumber.ToString(CultureInfo.InvariantCulture),
            draft.TransactionNumber.ToString(CultureInfo.InvariantCulture),
            // Normalised so "150.0" and "150.00" (same amount, different bank formatting) hash alike.
            draft.Amount.ToString("0.############################", CultureInfo.InvariantCulture),
            draft.BookingDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty);
        return "hash:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static (decimal Amount, string Currency) ReadAmount(XElement? amount, string where)
    {
        if (amount is null)
        {
            throw new BankStatementFormatException($"{where} has no amount (Amt).");
        }

        var currency = amount.Attribute("Ccy")?.Value.Trim();
        if (string.IsNullOrEmpty(currency))
        {
            throw new BankStatementFormatException($"{where} has an amount without currency (Ccy attribute).");
        }

        if (!CurrencyCode().IsMatch(currency))
        {
            throw new BankStatementFormatException($"{where} has an invalid currency code '{currency}'.");
        }

        // ISO amounts are unsigned with a '.' separator; parsing as decimal with the invariant culture keeps
        // "1234.5" exactly 1234.5 (no binary floating point) whatever the server's locale is. Signs, exponents and
        // thousands separators are rejected rather than guessed at.
        var text = amount.Value.Trim();
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new BankStatementFormatException($"{where} has an invalid amount '{text}'.");
        }

        return (value, currency);
    }

    private static bool ReadDirection(XElement? indicator, string where) => Text(indicator) switch
    {
        "CRDT" => true,
        "DBIT" => false,
        null => throw new BankStatementFormatException($"{where} has no credit/debit indicator (CdtDbtInd)."),
        var other => throw new BankStatementFormatException(
            $"{where} has an invalid credit/debit indicator '{other}'."),
    };

    private static string ReadStatus(XElement? status, XNamespace ns, string where)
    {
        if (status is null)
        {
            throw new BankStatementFormatException($"{where} has no status (Sts).");
        }

        // Up to version 07 the status is the code itself; from 08 it is a choice of Cd or Prtry.
        var code = status.HasElements
            ? Text(status.Element(ns + "Cd")) ?? Text(status.Element(ns + "Prtry"))
            : Text(status);
        return code ?? throw new BankStatementFormatException($"{where} has an empty status (Sts).");
    }

    private static DateOnly? ReadBookingDate(XElement? bookingDate, XNamespace ns, string where)
    {
        var text = Text(bookingDate?.Element(ns + "Dt")) ?? Text(bookingDate?.Element(ns + "DtTm"));
        if (text is null)
        {
            return null;
        }

        // xs:date may carry a zone ("2024-03-15+01:00") and xs:dateTime a time. The calendar day the bank wrote is
        // the first ten characters; converting to UTC would move late-evening bookings to another day.
        if (text.Length >= 10
            && DateOnly.TryParseExact(
                text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && (text.Length == 10 || text[10] is 'T' or 'Z' or '+' or '-'))
        {
            return date;
        }

        throw new BankStatementFormatException($"{where} has an invalid booking date '{text}'.");
    }

    private static string? ReadRemittance(XElement transaction, XNamespace ns)
    {
        var remittance = transaction.Elements(ns + "RmtInf").ToList();
        var parts = remittance.Elements(ns + "Ustrd")
            .Concat(remittance.Elements(ns + "Strd").Elements(ns + "CdtrRefInf").Elements(ns + "Ref"))
            .Select(Text)
            .OfType<string>()
            .ToList();
        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    // Visits each child element of the element the reader is on. The callback must consume an element it accepts
    // (returning true) and leave it alone otherwise; unaccepted elements are skipped without being materialised.
    private static void ReadChildren(XmlReader reader, Func<XmlReader, bool> accept)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        var depth = reader.Depth;
        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement || reader.Depth != depth)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                if (!accept(reader))
                {
                    reader.Skip();
                }
            }
            else if (!reader.Read())
            {
                throw new BankStatementFormatException("The bank statement ended unexpectedly.");
            }
        }

        reader.Read();
    }

    private static bool IsElement(XmlReader reader, XNamespace ns, string localName) =>
        reader.LocalName == localName && reader.NamespaceURI == ns.NamespaceName;

    private static string? Text(XElement? element) => element is null ? null : Clean(element.Value);

    private static string? Clean(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static BankStatementFormatException TooLarge(long limit) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"The bank statement is larger than the accepted maximum of {limit} bytes."));

    // Version digits are not restricted: every 001.XX release keeps the Stmt/Ntfctn → Ntry → TxDtls shape read
    // here.
    [GeneratedRegex(
        @"^urn:iso:std:iso:20022:tech:xsd:(?<type>camt\.05[34])\.001\.(?<version>[0-9]{2})\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex CamtNamespace();

    [GeneratedRegex("^[A-Z]{3}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();

    private sealed class Block
    {
        public string? Id { get; set; }

        public string? AccountIban { get; set; }

        public int EntryCount { get; set; }

        public List<LineDraft> Lines { get; } = [];
    }

    // A line before its fallback reference is computed: the hash needs the statement id, which a malformed file
    // could place after the entries.
    private sealed record LineDraft(
        string? Reference,
        int EntryNumber,
        int TransactionNumber,
        decimal Amount,
        string Currency,
        bool IsCredit,
        string Status,
        DateOnly? BookingDate,
        string? RemittanceInformation,
        string? DebtorName,
        string? DebtorIban,
        string? EndToEndId);

    // Counts bytes as the XML reader pulls them, so the cap also holds for streams that cannot report a length.
    private sealed class BoundedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw TooLarge(limit) : read;
        }
    }
}
