namespace Cryptopocket.Client;

/// <summary>A purchase created by <see cref="CryptopocketClient.CreatePaymentAsync"/> (<c>POST api/createPayment</c>).</summary>
/// <param name="PaymentId">The purchase's id, for <see cref="CryptopocketClient.GetPaymentAsync"/>.</param>
/// <param name="PaymentUrl">
/// Where the customer pays a <c>card</c> or <c>psd2</c> purchase; <see langword="null"/> for a <c>transfer</c> purchase.
/// </param>
/// <param name="Transfer">
/// The bank transfer the customer must send for a <c>transfer</c> purchase; <see langword="null"/> for the other methods.
/// </param>
public sealed record PaymentCreated(string PaymentId, string? PaymentUrl, BankTransferInstructions? Transfer);
