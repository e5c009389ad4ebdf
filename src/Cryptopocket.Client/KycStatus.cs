namespace Cryptopocket.Client;

/// <summary>Where a customer stands in the KYC process.</summary>
public enum KycStatus
{
    /// <summary>A status this version of the SDK does not know; the server may have added one.</summary>
    Unknown = 0,

    /// <summary>The customer has not started the KYC form (<c>unused</c>).</summary>
    Unused,

    /// <summary>The customer's documents are being reviewed (<c>processing</c>).</summary>
    Processing,

    /// <summary>The customer passed KYC (<c>valid</c>).</summary>
    Valid,

    /// <summary>The customer failed KYC (<c>fail</c>); see <see cref="KycResult.Reason"/>.</summary>
    Fail,
}
