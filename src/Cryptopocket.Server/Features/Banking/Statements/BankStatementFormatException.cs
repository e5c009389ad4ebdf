namespace Cryptopocket.Server.Features.Banking.Statements;

/// <summary>
/// The input is not a camt.053/camt.054 document this parser can trust: malformed or hostile XML, another message
/// type, or an entry missing data without which money cannot be reconciled. Callers should reject the whole file
/// rather than import part of it, so a half-read statement never looks complete.
/// </summary>
public sealed class BankStatementFormatException : Exception
{
    public BankStatementFormatException()
        : base("The bank statement is not a valid camt.053 or camt.054 document.")
    {
    }

    public BankStatementFormatException(string message)
        : base(message)
    {
    }

    public BankStatementFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
