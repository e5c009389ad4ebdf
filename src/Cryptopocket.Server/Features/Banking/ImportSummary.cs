namespace Cryptopocket.Server.Features.Banking;

/// <summary>What an import did with a statement's lines; the CLI prints it as is (operators' scripts read the JSON).</summary>
public sealed record ImportSummary(string MessageType, int Lines, int Matched, int Unmatched, int Mismatched, int Ignored, int Pending, int AlreadyImported);

/// <summary>Counts outcomes as lines are applied; only lines whose write committed are counted.</summary>
internal sealed class ImportTally
{
    private int _matched, _unmatched, _mismatched, _ignored;

    public int Pending { get; set; }
    public int AlreadyImported { get; set; }

    /// <summary>Counts a line by the status it was stored with.</summary>
    public void Count(string status)
    {
        switch (status)
        {
            case BankTransactionStatuses.Matched: _matched++; break;
            case BankTransactionStatuses.Unmatched: _unmatched++; break;
            case BankTransactionStatuses.Mismatched: _mismatched++; break;
            default: _ignored++; break;
        }
    }

    public ImportSummary ToSummary(string messageType, int lines) =>
        new(messageType, lines, _matched, _unmatched, _mismatched, _ignored, Pending, AlreadyImported);
}
