using Cryptopocket.Contracts;
using Microsoft.AspNetCore.Diagnostics;

namespace Cryptopocket.Server.Infrastructure;

/// <summary>
/// The last line of defence: nothing a client sends may produce a stack trace. Body-size violations detected by
/// Kestrel become 413 <c>payload_too_large</c>; anything else unexpected is logged and answered as
/// <c>unexpected_error</c> with no detail.
/// </summary>
public sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var http = httpContext;
        if (exception is BadHttpRequestException badRequest)
        {
            var code = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.PayloadTooLarge : "bad_request";
            await ApiResults.Error(code, badRequest.StatusCode, badRequest.Message).ExecuteAsync(http);
            return true;
        }
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            return true;
        }
        logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        await ApiResults.Error(ErrorCodes.UnexpectedError, StatusCodes.Status500InternalServerError).ExecuteAsync(http);
        return true;
    }
}
