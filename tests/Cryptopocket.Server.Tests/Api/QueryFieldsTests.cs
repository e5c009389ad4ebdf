using System.Text.Json;
using Cryptopocket.Server.Infrastructure.Validation;
using Microsoft.AspNetCore.Http;

namespace Cryptopocket.Server.Tests.Api;

/// <summary>
/// <see cref="RequestFields.FromQuery"/> reads the raw query string itself (for speed); what it reads must be what
/// ASP.NET Core's own <c>Request.Query</c> reads from the same string, field by field.
/// </summary>
public sealed class QueryFieldsTests
{
    [Theory]
    [InlineData("?amount=100&symbol=USDC&chain=polygon&payment_type=card")]
    [InlineData("?status=a&status=b&status=")]
    [InlineData("?name=Luc%C3%ADa%20Garc%C3%ADa&plus=a+b&encoded%20name=x%26y%3Dz")]
    [InlineData("?empty=&=nameless&flag&&trailing=1&")]
    [InlineData("?per_page=%FF%FE&page=1%2C2")]
    [InlineData("")]
    public void TheQueryStringReadsAsTheFrameworkReadsIt(string queryString)
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString(queryString);

        var fields = RequestFields.FromQuery(request);

        foreach (var (name, values) in request.Query)
        {
            Assert.True(fields.TryGet(name, out var value), $"field '{name}' is missing");
            Assert.Equal(JsonValueKind.String, value.ValueKind);
            Assert.Equal(values.ToString(), value.GetString());
        }
        foreach (var name in new[] { "amount", "status", "name", "plus", "encoded name", "empty", "", "flag", "trailing", "per_page", "page", "other" })
        {
            Assert.Equal(request.Query.ContainsKey(name), fields.TryGet(name, out _));
        }
    }
}
