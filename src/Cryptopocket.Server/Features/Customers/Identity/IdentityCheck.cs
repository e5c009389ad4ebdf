namespace Cryptopocket.Server.Features.Customers.Identity;

/// <summary>
/// Outcome of <see cref="IdentityDocuments.Validate"/>. <see cref="Error"/> is a complete English sentence so it can be
/// surfaced as-is in a Laravel-style <c>errors</c> bag; it is <see langword="null"/> when <see cref="IsValid"/> is true.
/// </summary>
public readonly record struct IdentityCheck(bool IsValid, string? Error)
{
    internal static IdentityCheck Valid { get; } = new(true, null);

    internal static IdentityCheck Invalid(string error) => new(false, error);
}
