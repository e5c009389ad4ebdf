using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Api;

/// <summary>Every answer says "do not sniff, do not frame, send no referrer"; pages also forbid loading anything foreign.</summary>
public sealed class SecurityHeadersTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/api/quote?amount=100&symbol=USDC&payment_type=card")]
    [InlineData("/api/no-such-endpoint")]
    [InlineData("/kyc/not-a-token")]
    [InlineData("/health/ready")]
    public async Task EveryAnswerCarriesTheHeaders(string path)
    {
        using var http = server.CreateHttpClient();

        using var response = await http.GetAsync(path);

        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.StartsWith("default-src 'none';", Single(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDocsUiMayRunItsScriptsButNotBeFramed()
    {
        using var http = server.CreateHttpClient();

        using var response = await http.GetAsync("/docs/index.html");

        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.False(response.Headers.Contains("Content-Security-Policy") || response.Content.Headers.Contains("Content-Security-Policy"));
    }

    private static string Single(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.GetValues(name));
}
