namespace Cryptopocket.Client;

/// <summary>Where a purchase stands.</summary>
public enum PaymentStatus
{
    /// <summary>A status this version of the SDK does not know; the server may have added one.</summary>
    Unknown = 0,

    /// <summary>Created; the customer has not paid yet (<c>started</c>).</summary>
    Started,

    /// <summary>The customer says the bank transfer is sent; it has not arrived yet (<c>pending_bank</c>).</summary>
    PendingBank,

    /// <summary>The payment arrived; the coins are about to be sent (<c>payment_received</c>).</summary>
    PaymentReceived,

    /// <summary>The coins were sent to the wallet; see <see cref="PaymentInfo.Txid"/> (<c>coins_sent</c>).</summary>
    CoinsSent,

    /// <summary>The payment was refused; see <see cref="PaymentInfo.FailureReason"/> (<c>payment_rejected</c>).</summary>
    PaymentRejected,

    /// <summary>The customer did not pay in time (<c>expired</c>).</summary>
    Expired,
}
