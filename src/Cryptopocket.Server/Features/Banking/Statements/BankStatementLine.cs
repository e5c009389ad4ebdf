namespace Cryptopocket.Server.Features.Banking.Statements;

/// <summary>
/// One money movement of an ISO 20022 statement or notification: an entry (<c>Ntry</c>) without transaction
/// details, or one transaction (<c>TxDtls</c>) of an entry, so that each batch-booked SEPA transfer is reconciled
/// on its own.
/// </summary>
/// <param name="EntryReference">
/// Stable key for de-duplicating re-imports (the same transfer arrives in the intraday camt.054 and again in the
/// end-of-day camt.053, or a file is uploaded twice). Taken from the first of: <c>TxDtls/Refs/AcctSvcrRef</c>,
/// <c>Ntry/AcctSvcrRef</c>, <c>Ntry/NtryRef</c>, <c>TxDtls/Refs/EndToEndId</c>; otherwise
/// <c>"hash:"</c> + SHA-256 hex of (statement id, entry index, transaction index, amount, booking date). Unique
/// within one parsed document: a reference already used by an earlier line gets <c>"#2"</c>, <c>"#3"</c>… appended.
/// Bank references are only unique per account, so store it together with <see cref="BankStatement.AccountIban"/>.
/// </param>
/// <param name="Amount">Always positive (or zero); the direction is <see cref="IsCredit"/>.</param>
/// <param name="Currency">ISO 4217 code from the <c>Ccy</c> attribute of the amount that was used.</param>
/// <param name="IsCredit"><see langword="true"/> for money coming in (<c>CRDT</c>).</param>
/// <param name="Status">
/// Entry status as sent by the bank, usually <c>BOOK</c>, <c>PDNG</c> or <c>INFO</c>. Only <c>BOOK</c> entries are
/// final; a pending entry can still disappear and must not release anything to a customer.
/// </param>
/// <param name="BookingDate">
/// Date part of <c>BookgDt</c> as written by the bank (no time-zone conversion); null when pending.
/// </param>
/// <param name="RemittanceInformation">
/// Unstructured lines then structured creditor references, joined with spaces.
/// </param>
/// <param name="DebtorName">Name of the payer (for a debit line this is normally the account owner itself).</param>
/// <param name="DebtorIban">IBAN of the payer's account when the bank reports it.</param>
/// <param name="EndToEndId">Payer's end-to-end id; null when absent or the SEPA placeholder <c>NOTPROVIDED</c>.</param>
public sealed record BankStatementLine(
    string EntryReference,
    decimal Amount,
    string Currency,
    bool IsCredit,
    string Status,
    DateOnly? BookingDate,
    string? RemittanceInformation,
    string? DebtorName,
    string? DebtorIban,
    string? EndToEndId);
