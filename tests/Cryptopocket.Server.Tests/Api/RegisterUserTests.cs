using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cryptopocket.Server.Features.Customers;
using Cryptopocket.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cryptopocket.Server.Tests.Api;

/// <summary>Wire reference §4.1 and the seed's example: POST /api/registerUser.</summary>
public sealed class RegisterUserTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task AnswersTheDocumentedShape()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        var body = TestCustomers.SpanishBody();

        var response = await http.PostAsJsonAsync("/api/registerUser", body);
        var json = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", json.GetProperty("status").GetString());
        var data = json.GetProperty("data");
        Assert.Equal(
            ["id", "email", "name", "last_name", "identification_number", "country", "kyc_valid", "kyc_form_url"],
            data.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(data.GetProperty("id").GetInt64() > 0);
        Assert.Equal(body["email"]!.GetValue<string>(), data.GetProperty("email").GetString());
        Assert.Equal("Spain", data.GetProperty("country").GetString());
        Assert.False(data.GetProperty("kyc_valid").GetBoolean());
        Assert.StartsWith(server.BaseAddress + "kyc/", data.GetProperty("kyc_form_url").GetString());
        Assert.DoesNotContain("password", json.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StoresThePasswordHashedNeverPlain()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        var body = TestCustomers.SpanishBody();

        var id = (await (await http.PostAsJsonAsync("/api/registerUser", body)).JsonAsync()).GetProperty("data").GetProperty("id").GetInt64();

        var hash = await server.QueryAsync(db => db.Customers.Where(c => c.Id == id).Select(c => c.PasswordHash).SingleAsync());
        Assert.DoesNotContain("s3cret-pass", hash, StringComparison.Ordinal);
        Assert.True(hash.Length > 40);
    }

    [Fact]
    public async Task RefusesTheSameEmailTwiceInOneIntegrationButNotAcrossIntegrations()
    {
        using var first = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        using var other = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        var email = TestCustomers.NewEmail();

        Assert.Equal("ok", (await (await first.PostAsJsonAsync("/api/registerUser", TestCustomers.SpanishBody(email: email))).JsonAsync()).GetProperty("status").GetString());
        var count = await server.CountAsync<Customer>();
        await (await first.PostAsJsonAsync("/api/registerUser", TestCustomers.SpanishBody(email: email))).AssertBusinessErrorAsync("user_already_exists");
        Assert.Equal(count, await server.CountAsync<Customer>());

        Assert.Equal("ok", (await (await other.PostAsJsonAsync("/api/registerUser", TestCustomers.SpanishBody(email: email))).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ParallelDuplicateRegistrationsCreateExactlyOneCustomer()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        var body = TestCustomers.SpanishBody();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
            await (await http.PostAsJsonAsync("/api/registerUser", body)).JsonAsync()));

        Assert.Equal(1, responses.Count(r => r.GetProperty("status").GetString() == "ok"));
        Assert.All(responses.Where(r => r.GetProperty("status").GetString() != "ok"),
            r => Assert.Equal("user_already_exists", r.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task RefusesDisposableEmailDomains()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var response = await http.PostAsJsonAsync("/api/registerUser", TestCustomers.SpanishBody(email: $"x{Guid.NewGuid():N}@mailinator.com"));

        await response.AssertBusinessErrorAsync("email_not_allowed");
    }

    public static TheoryData<string, string, object?> InvalidFields => new()
    {
        { "email", "email", "not-an-email" },
        { "email", "email", 12 },
        { "phone", "phone", "600123456" },
        { "phone", "phone", "+0123" },
        { "dob", "dob", "03/05/1986" },
        { "dob", "dob", "2999-01-01" },
        { "dob", "dob", DateTime.UtcNow.AddYears(-17).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        { "iban", "iban", "ES9121000418450200051333" },
        { "iban", "iban", "123123123" },
        { "identification_number", "identification_number", "12345678A" },
        { "identification_type", "identification_type", "RUT" },
        { "identification_type", "identification_type", "NOT_A_TYPE" },
        { "country_code", "country_code", "XXX" },
        { "name", "name", new string('a', 101) },
        { "name", "name", "" },
        { "name", "name", new[] { "a" } },
        { "callback_url", "callback_url", "javascript:alert(1)" },
        { "password", "password", "123" },
        { "zipcode", "zipcode", "<script>" },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task RefusesEachInvalidFieldWithA422NamingItAndWritesNothing(string field, string errorField, object? value)
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        var body = TestCustomers.SpanishBody();
        body[field] = value is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(value);
        var before = await server.CountAsync<Customer>();

        var response = await http.PostAsJsonAsync("/api/registerUser", body);

        await response.AssertValidationErrorAsync(errorField);
        Assert.Equal(before, await server.CountAsync<Customer>());
    }

    [Fact]
    public async Task AcceptsTheSeedsArgentinianExampleShapeWithAValidDni()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        var body = new JsonObject
        {
            ["name"] = "Alvaro", ["last_name"] = "Iglesia", ["last_name2"] = "Vicente", ["phone"] = "+5491123456789",
            ["country"] = "Argentina", ["country_code"] = "ARG", ["city"] = "Buenos Aires",
            ["address"] = "Fray Justo St. María de Oro 2121", ["email"] = TestCustomers.NewEmail(),
            ["identification_number"] = "11111111", ["password"] = "123456", ["professional_activity"] = "Developer",
            ["address_state"] = "CABA", ["zipcode"] = "1425", ["dob"] = "1986-05-03", ["identification_type"] = "DNI",
            ["iban"] = "123123123",
        };

        var json = await (await http.PostAsJsonAsync("/api/registerUser", body)).JsonAsync();

        Assert.Equal("ok", json.GetProperty("status").GetString());
        Assert.Equal("Argentina", json.GetProperty("data").GetProperty("country").GetString());
    }

    [Fact]
    public async Task ListsEveryMissingFieldAtOnce()
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());

        var response = await http.PostAsJsonAsync("/api/registerUser", new { name = "John", email = "john@example.com" });

        var body = await response.AssertValidationErrorAsync("last_name", "phone", "country_code", "identification_number", "identification_type", "password", "dob");
        Assert.Contains("more errors", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("\"text\"")]
    [InlineData("{\"name\":")]
    [InlineData("not json at all")]
    public async Task RefusesBodiesThatAreNotAJsonObject(string raw)
    {
        using var http = await server.CreateAuthenticatedHttpClientAsync(await server.CreateIntegrationAsync());
        var before = await server.CountAsync<Customer>();

        var response = await http.PostAsync("/api/registerUser", new StringContent(raw, System.Text.Encoding.UTF8, "application/json"));

        await response.AssertValidationErrorAsync("body");
        Assert.Equal(before, await server.CountAsync<Customer>());
    }
}
