using System.Text.Json.Serialization;

namespace Cryptopocket.Contracts;

/// <summary>The <c>{"status":"ok","data":…}</c> success envelope.</summary>
public sealed record OkResponse<T>(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("data")] T Data);

/// <summary>The business-error envelope, always sent with HTTP 200 unless docs/api.md says otherwise.</summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string? Message = null,
    [property: JsonPropertyName("data")] string? Data = null);

/// <summary>The Laravel-style HTTP 422 validation body.</summary>
public sealed record ValidationErrorResponse(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("errors")] IReadOnlyDictionary<string, string[]> Errors);

public static class Envelope
{
    public const string Ok = "ok";
    public const string Success = "success";
    public const string Error = "error";

    public static OkResponse<T> OkWith<T>(T data) => new(Ok, data);

    public static ErrorResponse Failure(string code, string? message = null, string? data = null) =>
        new(Error, code, message, data);
}
