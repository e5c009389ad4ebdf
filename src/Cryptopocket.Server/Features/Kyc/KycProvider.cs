using Cryptopocket.Server.Features.Customers;
using Microsoft.Extensions.Options;

namespace Cryptopocket.Server.Features.Kyc;

/// <summary>A provider's answer: approved, rejected with a reason, or no decision yet (manual review).</summary>
public sealed record KycDecision(bool? Approved, string? Reason)
{
    public static KycDecision Pending { get; } = new(null, null);
}

/// <summary>
/// Decides on a submitted KYC case. The sandbox decides at once by rule; a real vendor's adapter would forward the
/// documents, answer <see cref="KycDecision.Pending"/>, and report the outcome later through the same service.
/// </summary>
public interface IKycProvider
{
    Task<KycDecision> SubmitAsync(Customer customer, IReadOnlyList<KycDocument> documents, CancellationToken cancellationToken);
}

public sealed class SandboxKycProvider(IOptionsMonitor<KycOptions> options) : IKycProvider
{
    public Task<KycDecision> SubmitAsync(Customer customer, IReadOnlyList<KycDocument> documents, CancellationToken cancellationToken)
    {
        var rules = options.CurrentValue;
        var decision =
            rules.SandboxRejectLastNames.Contains(customer.LastName, StringComparer.OrdinalIgnoreCase)
                ? new KycDecision(false, "sandbox: the last name is on the rejection list")
            : rules.SandboxReviewLastNames.Contains(customer.LastName, StringComparer.OrdinalIgnoreCase)
                ? KycDecision.Pending
            : new KycDecision(true, null);
        return Task.FromResult(decision);
    }
}
