using Cryptopocket.Contracts;

namespace Cryptopocket.Server.Infrastructure;

/// <summary>The envelopes of the partner API. Business errors are HTTP 200, as the public docs define them.</summary>
public static class ApiResults
{
    public static IResult Ok<T>(T data) => TypedResults.Json(Envelope.OkWith(data));

    public static IResult Error(string code, string? message = null, string? data = null) =>
        TypedResults.Json(Envelope.Failure(code, message, data));

    public static IResult Error(string code, int statusCode, string? message = null) =>
        TypedResults.Json(Envelope.Failure(code, message), statusCode: statusCode);

    public static IResult Unauthorized() => Error(ErrorCodes.AuthorizationIncorrect);
}
