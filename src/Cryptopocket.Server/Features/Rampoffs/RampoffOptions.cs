namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>Section "Rampoffs": selling crypto for EUR.</summary>
public sealed class RampoffOptions
{
    /// <summary>How long a deposit address waits for the crypto; the quote is locked for as long.</summary>
    public TimeSpan DepositWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Extra time after the window before an operation is closed, so a deposit sent just before the deadline has its
    /// confirmations and is counted as on time.
    /// </summary>
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The platform's selling fee in percent of the gross value, plus a fixed part in EUR.</summary>
    public decimal FeePercent { get; set; } = 1.0m;

    public decimal FeeFixed { get; set; }

    /// <summary>Deposit addresses of closed operations are still watched this long, so late and repeated deposits are found.</summary>
    public TimeSpan WatchClosedFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>On a chain seen for the first time, how far back the watcher starts (blocks).</summary>
    public int InitialLookbackBlocks { get; set; } = 1000;

    /// <summary>Blocks read per chain per round; a watcher behind catches up round by round.</summary>
    public int MaxBlocksPerRound { get; set; } = 2000;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How payouts leave: <c>sandbox</c> (a simulated bank pays them after <see cref="SandboxPayoutDelay"/>) or
    /// <c>pain001</c> (an operator exports a SEPA file with <c>cryptopocket payouts export</c> and confirms it).
    /// Empty: sandbox in sandbox mode, pain001 in production.
    /// </summary>
    public string PayoutRail { get; set; } = "";

    public TimeSpan SandboxPayoutDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A sweep not mined after this is broadcast again (the same signed bytes).</summary>
    public TimeSpan SweepRebroadcastAfter { get; set; } = TimeSpan.FromSeconds(60);
}

public static class PayoutRails
{
    public const string Sandbox = "sandbox";
    public const string Pain001 = "pain001";
}
