using Cryptopocket.Contracts;
using Cryptopocket.Server.Features.Catalogue;
using Cryptopocket.Server.Features.Payments.Wallets;
using Cryptopocket.Server.Infrastructure.Validation;

namespace Cryptopocket.Server.Features.Payments;

/// <summary>
/// Field rules of the two purchase-creation endpoints. A missing mandatory field is the documented business error
/// <c>fail_mandatory_field</c> (HTTP 200); a present but malformed one is the Laravel 422.
/// </summary>
public static class PurchaseForms
{
    public sealed record Parsed(PurchaseRequest? Request, IResult? Error, string? FiatSymbol);

    public static Parsed ParseCreatePayment(RequestFields fields) =>
        Parse(fields, guided: false, mandatory: ["user_id", "payment_type", "fiat_symbol", "fiat_amount", "coin_symbol", "coin_chain", "wallet"]);

    public static Parsed ParseGuided(RequestFields fields) =>
        Parse(fields, guided: true, mandatory: ["user_id", "coin_symbol", "coin_chain", "fiat_amount"]);

    private static Parsed Parse(RequestFields fields, bool guided, string[] mandatory)
    {
        var validator = new Validator(fields);
        var missing = mandatory.Where(f => !validator.IsPresent(f)).ToList();
        if (missing.Count > 0)
        {
            return new Parsed(null, Infrastructure.ApiResults.Error(ErrorCodes.FailMandatoryField,
                $"Missing mandatory field(s): {string.Join(", ", missing)}."), null);
        }
        var userId = validator.WholeNumber("user_id", required: true);
        var externalId = validator.Text("external_id", required: false, maxLength: 100);
        var paymentType = validator.Text("payment_type", required: false, maxLength: 40)?.ToLowerInvariant() ?? PaymentTypes.Card;
        var fiatSymbol = validator.Text("fiat_symbol", required: false, maxLength: 10)?.ToUpperInvariant() ?? "EUR";
        var amount = validator.Amount("fiat_amount", required: true, maxScale: 2, max: CatalogueApi.MaxFiatAmount);
        var coin = validator.Text("coin_symbol", required: true, maxLength: 20);
        var chain = validator.Text("coin_chain", required: true, maxLength: 40)?.ToLowerInvariant();
        var callback = validator.Url("callback_url", required: false);
        string? wallet = null;
        if (!guided)
        {
            var raw = validator.Text("wallet", required: true, maxLength: 100);
            if (raw is not null)
            {
                var check = EvmAddress.Validate(raw);
                if (check.IsValid)
                {
                    wallet = check.Normalized;
                }
                else
                {
                    validator.AddError("wallet", check.Error ?? "The wallet field is invalid.");
                }
            }
        }
        if (validator.HasErrors)
        {
            return new Parsed(null, validator.ToResult(), null);
        }
        var request = new PurchaseRequest(userId!.Value, externalId, paymentType, amount!.Value, coin!, chain!, wallet, callback?.ToString(), guided);
        return new Parsed(request, null, fiatSymbol);
    }
}
