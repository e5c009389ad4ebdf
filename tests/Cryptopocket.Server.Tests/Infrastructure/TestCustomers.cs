using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Cryptopocket.Server.Tests.Infrastructure;

/// <summary>Valid registration bodies with fresh, check-digit-correct identity numbers.</summary>
public static class TestCustomers
{
    private const string DniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

    public static string NewDni()
    {
        var number = RandomNumberGenerator.GetInt32(10_000_000, 99_999_999);
        return $"{number}{DniLetters[number % 23]}";
    }

    public static string NewEmail() => $"c{Guid.NewGuid():N}@example.com";

    /// <summary>A Spanish customer with every documented field filled in.</summary>
    public static JsonObject SpanishBody(string? lastName = null, string? email = null, string? callbackUrl = null) => new()
    {
        ["name"] = "Lucía",
        ["last_name"] = lastName ?? "García",
        ["last_name2"] = "Pérez",
        ["phone"] = "+34600123456",
        ["country"] = "Spain",
        ["country_code"] = "ESP",
        ["city"] = "Madrid",
        ["address"] = "Calle Mayor 1",
        ["email"] = email ?? NewEmail(),
        ["identification_number"] = NewDni(),
        ["identification_type"] = "GOVERNMENT_ID",
        ["password"] = "s3cret-pass",
        ["professional_activity"] = "Developer",
        ["address_state"] = "Madrid",
        ["zipcode"] = "28013",
        ["dob"] = "1986-05-03",
        ["iban"] = "ES9121000418450200051332",
        ["callback_url"] = callbackUrl,
    };

    public static Contracts.RegisterUserRequest SpanishRequest(string? lastName = null, string? callbackUrl = null) => new()
    {
        Name = "Lucía",
        LastName = lastName ?? "García",
        LastName2 = "Pérez",
        Phone = "+34600123456",
        Country = "Spain",
        CountryCode = "ESP",
        City = "Madrid",
        Address = "Calle Mayor 1",
        Email = NewEmail(),
        IdentificationNumber = NewDni(),
        IdentificationType = "GOVERNMENT_ID",
        Password = "s3cret-pass",
        ProfessionalActivity = "Developer",
        AddressState = "Madrid",
        Zipcode = "28013",
        Dob = "1986-05-03",
        Iban = "ES9121000418450200051332",
        CallbackUrl = callbackUrl,
    };
}
