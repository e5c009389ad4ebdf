namespace Cryptopocket.Client;

/// <summary>Where a sale (off-ramp operation) stands.</summary>
public enum RampoffStatus
{
    /// <summary>A status this version of the SDK does not know; the server may have added one.</summary>
    Unknown = 0,

    /// <summary>The deposit address is open; nothing, or not enough, has arrived yet (<c>waiting_crypto</c>).</summary>
    WaitingCrypto,

    /// <summary>The crypto arrived and is confirmed; the fiat payout is owed to the customer (<c>crypto_received</c>).</summary>
    CryptoReceived,

    /// <summary>The payout left in a bank file; the bank has not confirmed it yet (<c>payout_sent</c>).</summary>
    PayoutSent,

    /// <summary>The fiat was paid to the customer's IBAN (<c>finished</c>).</summary>
    Finished,

    /// <summary>Nothing arrived before the deposit window closed (<c>expired</c>).</summary>
    Expired,

    /// <summary>
    /// Too little arrived to pay out; the crypto is held for an operator to return. See
    /// <see cref="RampoffInfo.FailureReason"/> (<c>rejected</c>).
    /// </summary>
    Rejected,
}
