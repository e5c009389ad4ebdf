using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Customers.Identity;
using Cryptopocket.Server.Infrastructure;
using Cryptopocket.Server.Infrastructure.Validation;

namespace Cryptopocket.Server.Features.Rampoffs;

/// <summary>A sale request whose fields passed validation; the business rules are checked by <see cref="RampoffCreation"/>.</summary>
public sealed record RampoffRequest(long UserId, decimal Amount, string Chain, string Symbol, string? Iban, string? BankName, string? ExternalId);

/// <summary>
/// Field rules of <c>POST /api/createRampoff</c>, in the manner of the purchase endpoints: a missing mandatory field is
/// the business error <c>fail_mandatory_field</c> (HTTP 200); a present but malformed one is the Laravel 422.
/// </summary>
public static class RampoffForms
{
    /// <summary>Largest coin amount accepted: far above any real sale, far inside decimal(38,18).</summary>
    public const decimal MaxCoinAmount = 1_000_000_000_000m;

    public static (RampoffRequest? Request, IResult? Error) Parse(RequestFields fields)
    {
        var validator = new Validator(fields);
        string[] mandatory = ["user_id", "amount", "blockchain", "symbol"];
        var missing = mandatory.Where(f => !validator.IsPresent(f)).ToList();
        if (missing.Count > 0)
        {
            return (null, ApiResults.Error(ErrorCodes.FailMandatoryField, $"Missing mandatory field(s): {string.Join(", ", missing)}."));
        }
        var userId = validator.WholeNumber("user_id", required: true);
        var amount = validator.Amount("amount", required: true, maxScale: 18, max: MaxCoinAmount);
        var chain = validator.Text("blockchain", required: true, maxLength: 40)?.ToLowerInvariant();
        var symbol = validator.Text("symbol", required: true, maxLength: 20);
        var ibanText = validator.Text("iban", required: false, maxLength: 50);
        var bankName = validator.Text("bank_name", required: false, maxLength: 100);
        var externalId = validator.Text("external_id", required: false, maxLength: 100);
        string? iban = null;
        if (ibanText is not null)
        {
            if (Iban.IsValid(ibanText, out var normalized))
            {
                iban = normalized;
            }
            else
            {
                validator.AddError("iban", "The iban field must be a valid IBAN.");
            }
        }
        if (validator.HasErrors)
        {
            return (null, validator.ToResult());
        }
        return (new RampoffRequest(userId!.Value, amount!.Value, chain!, symbol!, iban, bankName, externalId), null);
    }

    /// <summary>The coin's own precision, known only once the coin is: more places than it has is a 422 on <paramref name="field"/>.</summary>
    public static IResult? CheckPrecision(string field, decimal amount, int decimals)
    {
        if (decimal.Round(amount, decimals) == amount)
        {
            return null;
        }
        var validator = new Validator(RequestFields.Empty);
        validator.AddError(field, $"The {Validator.Attribute(field)} field must not have more than {decimals} decimal places.");
        return validator.ToResult();
    }
}
