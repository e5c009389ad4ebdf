namespace Cryptopocket.Server.Infrastructure;

public static class SecurityHeaders
{
    /// <summary>
    /// Hosted pages carry no script of their own beyond a small inline refresh, load nothing from elsewhere and may not
    /// be framed: a payment or identity page inside someone else's frame is a phishing kit.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            // A static callback with the context as its state: no closure to allocate on every request.
            http.Response.OnStarting(AddHeaders, http);
            return next(http);
        });

    private static Task AddHeaders(object state)
    {
        var http = (HttpContext)state;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        if (!http.Request.Path.StartsWithSegments("/docs"))
        {
            headers.ContentSecurityPolicy =
                "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        }
        return Task.CompletedTask;
    }
}
