namespace Cryptopocket.Server.Infrastructure;

public static class SecurityHeaders
{
    /// <summary>
    /// Hosted pages carry no script of their own beyond a small inline refresh, load nothing from elsewhere and may not
    /// be framed: a payment or identity page inside someone else's frame is a phishing kit.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers["X-Content-Type-Options"] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["X-Frame-Options"] = "DENY";
                if (!http.Request.Path.StartsWithSegments("/docs"))
                {
                    headers.ContentSecurityPolicy =
                        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
                }
                return Task.CompletedTask;
            });
            await next(http);
        });
}
