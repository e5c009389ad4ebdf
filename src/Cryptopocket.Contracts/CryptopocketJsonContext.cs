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
[JsonSerializable(typeof(CreatePaymentRequest))]
[JsonSerializable(typeof(CreateGuidedPaymentRequest))]
[JsonSerializable(typeof(SuccessResponse<CardPaymentCreated>))]
[JsonSerializable(typeof(SuccessResponse<TransferPaymentCreated>))]
[JsonSerializable(typeof(SuccessResponse<GuidedPaymentCreated>))]
[JsonSerializable(typeof(SuccessResponse<System.Text.Json.JsonElement>))]
[JsonSerializable(typeof(OkResponse<PaymentDetail>))]
[JsonSerializable(typeof(PageResponse<PaymentDetail>))]
[JsonSerializable(typeof(CreateRampoffRequest))]
[JsonSerializable(typeof(OkResponse<RampoffCreated>))]
[JsonSerializable(typeof(OkResponse<RampoffDetail>))]
[JsonSerializable(typeof(PageResponse<RampoffDetail>))]
[JsonSerializable(typeof(OkResponse<RampoffQuote>))]
[JsonSerializable(typeof(WebhookEvent))]
public sealed partial class CryptopocketJsonContext : JsonSerializerContext;
