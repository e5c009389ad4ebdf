using System.Collections.ObjectModel;

namespace Cryptopocket.Client;

/// <summary>
/// Any answer of the Cryptopocket API other than success: a business error (<see cref="ErrorCode"/> is the wire code,
/// e.g. <c>user_not_found</c>), a validation failure (<see cref="ValidationFailed"/>) or an answer the SDK cannot read
/// (<see cref="UnexpectedResponse"/>). Network failures and cancellation are not wrapped.
/// </summary>
public sealed class CryptopocketException : Exception
{
    /// <summary>The <see cref="ErrorCode"/> of an HTTP 422 answer; the field messages are in <see cref="ValidationErrors"/>.</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>The <see cref="ErrorCode"/> of an answer that is not the API's JSON, e.g. a proxy's HTML error page.</summary>
    public const string UnexpectedResponse = "unexpected_response";

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoValidationErrors =
        ReadOnlyDictionary<string, IReadOnlyList<string>>.Empty;

    /// <summary>Creates an exception for an error answer.</summary>
    /// <param name="errorCode">The wire error code, <see cref="ValidationFailed"/> or <see cref="UnexpectedResponse"/>.</param>
    /// <param name="httpStatus">The HTTP status of the answer.</param>
    /// <param name="message">The server's message; the error code when <see langword="null"/> or empty.</param>
    /// <param name="data">The <c>data</c> string of the error envelope, if any.</param>
    /// <param name="validationErrors">The messages per field of a validation failure.</param>
    /// <param name="innerException">What made the answer unreadable, if anything.</param>
    public CryptopocketException(
        string errorCode,
        int httpStatus,
        string? message = null,
        string? data = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? validationErrors = null,
        Exception? innerException = null)
        : base(string.IsNullOrEmpty(message) ? errorCode : message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
        Data = data;
        ValidationErrors = validationErrors ?? NoValidationErrors;
    }

    /// <summary>Creates an <see cref="UnexpectedResponse"/> exception with no HTTP status.</summary>
    public CryptopocketException()
        : this(UnexpectedResponse, 0)
    {
    }

    /// <summary>Creates an <see cref="UnexpectedResponse"/> exception with no HTTP status.</summary>
    /// <param name="message">What went wrong.</param>
    public CryptopocketException(string message)
        : this(UnexpectedResponse, 0, message)
    {
    }

    /// <summary>Creates an <see cref="UnexpectedResponse"/> exception with no HTTP status.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CryptopocketException(string message, Exception innerException)
        : this(UnexpectedResponse, 0, message, innerException: innerException)
    {
    }

    /// <summary>
    /// The wire error code (see <c>Cryptopocket.Contracts.ErrorCodes</c>), <see cref="ValidationFailed"/> for an
    /// HTTP 422, or <see cref="UnexpectedResponse"/> for an answer the SDK cannot read.
    /// </summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status of the answer: 200 for business errors, 422 for validation, 4xx/5xx otherwise.</summary>
    public int HttpStatus { get; }

    /// <summary>The messages per field of an HTTP 422 answer; empty for every other error.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ValidationErrors { get; }

    /// <summary>The <c>data</c> string of the error envelope, e.g. the KYC form URL of <c>require_kyc</c>.</summary>
    public new string? Data { get; }
}
