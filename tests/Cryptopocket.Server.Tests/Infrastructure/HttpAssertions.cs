using System.Net;
using System.Text.Json;

namespace Cryptopocket.Server.Tests.Infrastructure;

public static class HttpAssertions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"Not JSON ({response.StatusCode}): {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The documented business-error shape: HTTP 200, <c>{"status":"error","error":code}</c>.</summary>
    public static async Task AssertBusinessErrorAsync(this HttpResponseMessage response, string code, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.JsonAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("error", body.GetProperty("status").GetString());
        Assert.Equal(code, body.GetProperty("error").GetString());
    }

    /// <summary>The Laravel 422 shape, with an error listed for each named field.</summary>
    public static async Task<JsonElement> AssertValidationErrorAsync(this HttpResponseMessage response, params string[] fields)
    {
        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        var errors = body.GetProperty("errors");
        foreach (var field in fields)
        {
            Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}': {errors}");
            Assert.True(messages.GetArrayLength() > 0);
        }
        return body;
    }
}
