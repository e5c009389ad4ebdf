using System.Net;
using Cryptopocket.Server.Tests.Infrastructure;

namespace Cryptopocket.Server.Tests.Api;

/// <summary>The docs UI and the OpenAPI document it reads: partners find the API there.</summary>
public sealed class DocsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task TheDocsUiIsServedAndNamesTheOpenApiDocument()
    {
        using var http = server.CreateHttpClient();

        using var page = await http.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Cryptopocket partner API</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var settings = await http.GetAsync("/docs/index.js");
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        Assert.Contains("/openapi/v1.json", await settings.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsThePartnerEndpoints()
    {
        using var http = server.CreateHttpClient();

        var document = await http.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/quote\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/api/createGuidedPayment\"", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRootSendsVisitorsToTheDocs()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        using var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/docs", response.Headers.Location?.OriginalString);
    }
}
