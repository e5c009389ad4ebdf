namespace Cryptopocket.Client;

/// <summary>The SEPA transfer the customer must send to pay a <c>transfer</c> purchase.</summary>
/// <param name="Iban">The IBAN to send the transfer to.</param>
/// <param name="Bic">The BIC of that account's bank.</param>
/// <param name="Concept">The reference the transfer must carry, which matches it to the purchase.</param>
/// <param name="DestinationName">The beneficiary name of the account.</param>
public sealed record BankTransferInstructions(string Iban, string Bic, long Concept, string DestinationName);
