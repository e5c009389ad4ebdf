using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Cryptopocket.Client.Tests.Infrastructure;

/// <summary>What the client sent, captured before the request is disposed.</summary>
public sealed record RecordedRequest(
    HttpMethod Method, Uri Uri, string? Auth, bool HasAuthorization, string? ContentType, string? Body, string? IdempotencyKey = null)
{
    public string Path => Uri.AbsolutePath;
}

/// <summary>An <see cref="HttpMessageHandler"/> that records every request and answers with a delegate.</summary>
public sealed class StubHandler(Func<RecordedRequest, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.TryGetValues("auth", out var auth) ? string.Join(",", auth) : null,
            request.Headers.Authorization is not null,
            request.Content?.Headers.ContentType?.ToString(),
            body,
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? string.Join(",", keys) : null);
        Requests.Enqueue(recorded);
        return await respond(recorded);
    }
}

public static class Respond
{
    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Ok(string dataJson) => Json($$"""{"status":"ok","data":{{dataJson}}}""");

    public static HttpResponseMessage Error(string code, HttpStatusCode status = HttpStatusCode.OK) =>
        Json($$"""{"status":"error","error":"{{code}}"}""", status);

    public static HttpResponseMessage Text(string text, string mediaType, HttpStatusCode status) =>
        new(status) { Content = new StringContent(text, Encoding.UTF8, mediaType) };
}
