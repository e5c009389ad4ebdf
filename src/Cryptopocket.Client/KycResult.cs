namespace Cryptopocket.Client;

/// <summary>A customer's KYC status, as answered by <c>GET api/kyc/check</c>.</summary>
/// <param name="UserId">The customer's id, as returned by <see cref="CryptopocketClient.RegisterUserAsync"/>.</param>
/// <param name="Status">The KYC status; <see cref="KycStatus.Unknown"/> for a status this SDK does not know.</param>
/// <param name="FormUrl">The hosted KYC form to send the customer to; <see langword="null"/> once KYC is valid.</param>
/// <param name="Reason">Why KYC failed, when the server gives a reason.</param>
/// <param name="UpdatedAt">When the status last changed.</param>
public sealed record KycResult(long UserId, KycStatus Status, string? FormUrl, string? Reason, DateTimeOffset UpdatedAt);
