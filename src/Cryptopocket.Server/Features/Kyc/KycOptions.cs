namespace Cryptopocket.Server.Features.Kyc;

/// <summary>Section "Kyc". The sandbox provider's rules are documented in the README.</summary>
public sealed class KycOptions
{
    public int MaxFileBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Last names the sandbox provider rejects (case-insensitive).</summary>
    public List<string> SandboxRejectLastNames { get; set; } = ["Reject", "Rechazo"];

    /// <summary>Last names the sandbox provider leaves in <c>processing</c> for an operator to decide.</summary>
    public List<string> SandboxReviewLastNames { get; set; } = ["Review", "Revision"];
}
