using System.Text.Json.Serialization;

namespace Cryptopocket.Contracts;

/// <summary>Source-generated serialisation for every wire type, shared by the server and the SDK.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ValidationErrorResponse))]
[JsonSerializable(typeof(AuthenticateRequest))]
[JsonSerializable(typeof(OkResponse<AuthenticateData>))]
[JsonSerializable(typeof(RegisterUserRequest))]
[JsonSerializable(typeof(OkResponse<RegisteredUser>))]
[JsonSerializable(typeof(KycCheckResponse))]
[JsonSerializable(typeof(OkResponse<IReadOnlyList<AvailableAsset>>))]
[JsonSerializable(typeof(OkResponse<TokenPrice>))]
[JsonSerializable(typeof(OkResponse<IReadOnlyList<PaymentMethod>>))]
[JsonSerializable(typeof(OkResponse<Quote>))]
public sealed partial class CryptopocketJsonContext : JsonSerializerContext;
