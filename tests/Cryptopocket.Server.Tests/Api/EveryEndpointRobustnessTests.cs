using System.Net;
using System.Text;
using System.Text.Json;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace Cryptopocket.Server.Tests.Api;

/// <summary>
/// Walks every /api endpoint the host maps (so endpoints added later are covered without being listed here) and
/// sends each one malformed input. Whatever arrives, the answer is one of the documented shapes and never a 500.
/// </summary>
public sealed class EveryEndpointRobustnessTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string[] BadBodies =
    [
        "",
        "{",
        "[]",
        "null",
        "\"a string\"",
        "{\"user_id\":\"abc\",\"amount\":[1],\"symbol\":{},\"email\":12,\"name\":true,\"fiat_amount\":-1}",
        "{\"user_id\":1e400,\"amount\":\"99999999999999999999999999999999999\",\"fiat_amount\":1.000000001}",
        "{\"user_id\":" + new string('9', 400) + "}",
        "{\"name\":\"" + new string('x', 70_000) + "\"}",
        new string('[', 5000),
    ];

    private static readonly string[] BadQueries =
    [
        "",
        "?user_id=abc&amount=abc&symbol=&payment_type=bitcoin&id=%00",
        "?amount=-1&symbol=" + new string('A', 5000),
        "?user_id=-9223372036854775808&amount=1e9999",
    ];

    [Fact]
    public async Task NoEndpointAnswersAServerErrorToMalformedInput()
    {
        var credentials = await server.CreateIntegrationAsync();
        using var authenticated = await server.CreateAuthenticatedHttpClientAsync(credentials);
        using var anonymous = server.CreateHttpClient();
        var endpoints = ApiEndpoints();
        Assert.True(endpoints.Count >= 7, $"Expected the partner API's endpoints, found {endpoints.Count}.");

        var failures = new List<string>();
        foreach (var (method, path) in endpoints)
        {
            foreach (var client in new[] { anonymous, authenticated })
            {
                foreach (var query in BadQueries)
                {
                    foreach (var body in method == "GET" ? [""] : BadBodies)
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(method), path + query);
                        if (method != "GET")
                        {
                            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                        }
                        var response = await client.SendAsync(request);
                        var problem = await DescribeProblemAsync(response);
                        if (problem is not null)
                        {
                            failures.Add($"{method} {path}{Truncate(query)} body {Truncate(body)}: {problem}");
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    private List<(string Method, string Path)> ApiEndpoints() =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, Concrete(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();

    /// <summary>Route parameters get a value that exists nowhere, so the endpoint runs its not-found path too.</summary>
    private static string Concrete(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "\\{[^}]+\\}", "aBcDeFgHiJkLmNoPqRsTuVwXy");

    private static async Task<string?> DescribeProblemAsync(HttpResponseMessage response)
    {
        if ((int)response.StatusCode >= 500)
        {
            return $"HTTP {(int)response.StatusCode}";
        }
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            var json = JsonDocument.Parse(text).RootElement;
            var isBusinessError = json.TryGetProperty("status", out var status) && status.GetString() == "error" && json.TryGetProperty("error", out _);
            var isValidation = response.StatusCode == HttpStatusCode.UnprocessableEntity && json.TryGetProperty("errors", out _) && json.TryGetProperty("message", out _);
            var isSuccess = response.StatusCode == HttpStatusCode.OK && json.TryGetProperty("status", out var ok) && ok.GetString() == "ok";
            return isBusinessError || isValidation || isSuccess ? null : $"HTTP {(int)response.StatusCode} undocumented body {Truncate(text)}";
        }
        catch (JsonException)
        {
            return $"HTTP {(int)response.StatusCode} non-JSON body {Truncate(text)}";
        }
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
