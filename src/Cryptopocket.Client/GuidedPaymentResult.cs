namespace Cryptopocket.Client;

/// <summary>A purchase created by <see cref="CryptopocketClient.CreateGuidedPaymentAsync"/> (<c>POST api/createGuidedPayment</c>).</summary>
/// <param name="PaymentId">The purchase's id, for <see cref="CryptopocketClient.GetPaymentAsync"/>.</param>
/// <param name="GatewayUrl">The hosted gateway page where the customer chooses how to pay and completes the purchase.</param>
/// <param name="ExternalId">The integration's own reference for the purchase, if one was sent.</param>
public sealed record GuidedPaymentResult(string PaymentId, Uri GatewayUrl, string? ExternalId);
