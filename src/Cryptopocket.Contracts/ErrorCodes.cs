namespace Cryptopocket.Contracts;

/// <summary>
/// Business error codes returned as <c>{"status":"error","error":CODE}</c> with HTTP 200, spelled exactly as the
/// public Cryptopocket documentation spells them (typos included: <see cref="LimitExceeded"/>).
/// </summary>
public static class ErrorCodes
{
    public const string AuthorizationIncorrect = "authorization_incorrect";
    public const string UserAlreadyExists = "user_already_exists";
    public const string EmailNotAllowed = "email_not_allowed";
    public const string UnexpectedError = "unexpected_error";
    public const string UserNotFound = "user_not_found";
    public const string UserNotInIntegration = "user_not_in_integration";
    public const string UserBanned = "user_banned";
    public const string FailMandatoryField = "fail_mandatory_field";
    public const string RequireKyc = "require_kyc";
    public const string KycReinforcedRequired = "kyc_reinforced_required";
    public const string LimitExceeded = "limit_exceded";
    public const string CoinNotSupported = "coin_not_supported";
    public const string MinPurchase = "min_purchase";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ErrorPaymentCreation = "error_payment_creation";
    public const string GuidedPaymentEurOnly = "guided_payment_eur_only";

    // Codes the public documentation does not name; each is described in docs/api.md.
    public const string TooManyRequests = "too_many_requests";
    public const string PayloadTooLarge = "payload_too_large";
    public const string NotFound = "not_found";
    public const string FiatNotSupported = "fiat_not_supported";
    public const string PaymentNotFound = "payment_not_found";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string IdempotencyKeyInvalid = "idempotency_key_invalid";
    public const string SubscriptionAlreadyExists = "subscription_already_exists";
    public const string SubscriptionNotFound = "subscription_not_found";
    public const string DeliveryNotFound = "delivery_not_found";
    public const string RampoffNotFound = "rampoff_not_found";
    public const string ErrorRampoffCreation = "error_rampoff_creation";
}
