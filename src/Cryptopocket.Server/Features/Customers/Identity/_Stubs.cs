namespace Cryptopocket.Server.Features.Customers.Identity;

public readonly record struct IdentityCheck(bool IsValid, string? Error);

public static class IdentityDocuments
{
    public static bool IsSupportedCountry(string countryCode) => true;
    public static IReadOnlyList<string> TypesFor(string countryCode) => ["DNI"];
    public static IdentityCheck Validate(string countryCode, string identificationType, string number) => new(true, null);
    public static string Normalize(string type, string number) => number;
}

public static class Iban
{
    public static bool IsValid(string input, out string normalized) { normalized = input; return true; }
}

public static class DisposableEmailDomains
{
    public static bool IsDisposable(string email) => false;
}
