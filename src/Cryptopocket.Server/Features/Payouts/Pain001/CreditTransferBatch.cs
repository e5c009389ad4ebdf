namespace Cryptopocket.Server.Features.Payouts.Pain001;

/// <summary>
/// One pain.001 file: EUR SEPA credit transfers from the operator's account to customers, all debited on
/// <see cref="RequestedExecutionDate"/>. <see cref="MessageId"/> also serves as the payment information id, since the
/// file carries a single payment information block.
/// </summary>
public sealed record CreditTransferBatch(
    string MessageId,
    DateTimeOffset CreatedAt,
    string InitiatingPartyName,
    DebtorAccount Debtor,
    DateOnly RequestedExecutionDate,
    IReadOnlyList<CreditTransfer> Transfers);

/// <summary>The operator's account that pays. Without a BIC the bank is told "NOTPROVIDED", as SEPA allows.</summary>
public sealed record DebtorAccount(string Name, string Iban, string? Bic);

/// <summary>One payout. <see cref="Amount"/> is in EUR with at most two decimals.</summary>
public sealed record CreditTransfer(
    string EndToEndId,
    decimal Amount,
    string CreditorName,
    string CreditorIban,
    string? CreditorBic,
    string RemittanceInformation);
