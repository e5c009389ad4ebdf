using System.Text.Json.Serialization;

namespace Cryptopocket.Contracts;

/// <summary>Body of <c>POST /api/registerUser</c> (wire reference §4.1 and the seed's curl example).</summary>
public sealed record RegisterUserRequest
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("last_name")] public required string LastName { get; init; }
    [JsonPropertyName("last_name2")] public string? LastName2 { get; init; }
    [JsonPropertyName("phone")] public required string Phone { get; init; }
    [JsonPropertyName("country")] public required string Country { get; init; }
    [JsonPropertyName("country_code")] public required string CountryCode { get; init; }
    [JsonPropertyName("city")] public required string City { get; init; }
    [JsonPropertyName("address")] public required string Address { get; init; }
    [JsonPropertyName("email")] public required string Email { get; init; }
    [JsonPropertyName("identification_number")] public required string IdentificationNumber { get; init; }
    [JsonPropertyName("identification_type")] public required string IdentificationType { get; init; }
    [JsonPropertyName("password")] public required string Password { get; init; }
    [JsonPropertyName("professional_activity")] public required string ProfessionalActivity { get; init; }
    [JsonPropertyName("address_state")] public required string AddressState { get; init; }
    [JsonPropertyName("zipcode")] public required string Zipcode { get; init; }
    [JsonPropertyName("dob")] public required string Dob { get; init; }
    [JsonPropertyName("iban")] public string? Iban { get; init; }
    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }
}

/// <summary>Data of a successful <c>POST /api/registerUser</c>, field for field as the documented example.</summary>
public sealed record RegisteredUser(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("last_name")] string LastName,
    [property: JsonPropertyName("identification_number")] string IdentificationNumber,
    [property: JsonPropertyName("country")] string Country,
    [property: JsonPropertyName("kyc_valid")] bool KycValid,
    [property: JsonPropertyName("kyc_form_url")] string KycFormUrl);

/// <summary>KYC statuses as the guide names them.</summary>
public static class KycStatuses
{
    public const string Unused = "unused";
    public const string Processing = "processing";
    public const string Valid = "valid";
    public const string Fail = "fail";
}

/// <summary>
/// Answer of <c>GET /api/kyc/check</c>. <c>kyc_status</c> is sent both at the top level (as the older gateway client
/// reads it) and inside <c>data</c>; see docs/api.md.
/// </summary>
public sealed record KycCheckResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("kyc_status")] string KycStatus,
    [property: JsonPropertyName("data")] KycCheckData Data);

public sealed record KycCheckData(
    [property: JsonPropertyName("user_id")] long UserId,
    [property: JsonPropertyName("kyc_status")] string KycStatus,
    [property: JsonPropertyName("kyc_form_url")] string? KycFormUrl,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);
