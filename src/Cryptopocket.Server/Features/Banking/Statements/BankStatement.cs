namespace Cryptopocket.Server.Features.Banking.Statements;

/// <summary>A parsed camt.053 statement or camt.054 notification for a single account.</summary>
/// <param name="MessageType"><c>"camt.053"</c> or <c>"camt.054"</c>.</param>
/// <param name="Version">Schema version from the namespace, e.g. <c>"001.02"</c> or <c>"001.08"</c>.</param>
/// <param name="StatementId"><c>Stmt/Id</c> or <c>Ntfctn/Id</c>.</param>
/// <param name="AccountIban">IBAN of the reported account; null when the bank identifies it another way.</param>
/// <param name="Lines">One line per transaction, in document order.</param>
public sealed record BankStatement(
    string MessageType,
    string Version,
    string? StatementId,
    string? AccountIban,
    IReadOnlyList<BankStatementLine> Lines);
