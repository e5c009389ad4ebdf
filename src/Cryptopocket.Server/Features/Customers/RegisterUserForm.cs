using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using Cryptopocket.Server.Features.Customers.Identity;
using Cryptopocket.Server.Infrastructure.Validation;

namespace Cryptopocket.Server.Features.Customers;

/// <summary>A <c>registerUser</c> body that passed every field rule.</summary>
public sealed record RegisterUserForm(
    string Name, string LastName, string? LastName2, string Phone, string Country, string CountryCode, string City,
    string Address, string Email, string IdentificationNumber, string IdentificationType, string Password,
    string ProfessionalActivity, string AddressState, string Zipcode, DateOnly Dob, string? Iban, Uri? CallbackUrl);

public static partial class RegisterUserRules
{
    public const int MinimumAge = 18;

    /// <summary>Validates every field; null with the validator holding the 422 messages when any rule fails.</summary>
    public static RegisterUserForm? Validate(Validator v, DateOnly today)
    {
        var name = v.Text("name", required: true, maxLength: 100);
        var lastName = v.Text("last_name", required: true, maxLength: 100);
        var lastName2 = v.Text("last_name2", required: false, maxLength: 100);
        var phone = Phone(v);
        var country = v.Text("country", required: true, maxLength: 100);
        var countryCode = v.Text("country_code", required: true, maxLength: 3)?.ToUpperInvariant();
        if (countryCode is not null && !IdentityDocuments.IsSupportedCountry(countryCode))
        {
            v.AddError("country_code", "The selected country code is invalid.");
            countryCode = null;
        }
        var city = v.Text("city", required: true, maxLength: 100);
        var address = v.Text("address", required: true, maxLength: 255);
        var email = Email(v);
        var (idType, idNumber) = Identification(v, countryCode);
        var password = v.Text("password", required: true, maxLength: 128);
        if (password is not null && password.Length < 6)
        {
            v.AddError("password", "The password field must be at least 6 characters.");
        }
        var activity = v.Text("professional_activity", required: true, maxLength: 100);
        var state = v.Text("address_state", required: true, maxLength: 100);
        var zipcode = v.Text("zipcode", required: true, maxLength: 20);
        if (zipcode is not null && !ZipcodePattern().IsMatch(zipcode))
        {
            v.AddError("zipcode", "The zipcode field format is invalid.");
        }
        var dob = DateOfBirth(v, today);
        var iban = BankAccount(v, countryCode);
        var callback = v.Url("callback_url", required: false);

        if (v.HasErrors)
        {
            return null;
        }
        return new RegisterUserForm(name!, lastName!, lastName2, phone!, country!, countryCode!, city!, address!, email!,
            idNumber!, idType!, password!, activity!, state!, zipcode!, dob!.Value, iban, callback);
    }

    private static string? Phone(Validator v)
    {
        var raw = v.Text("phone", required: true, maxLength: 30);
        if (raw is null)
        {
            return null;
        }
        var compact = PhoneSeparators().Replace(raw, "");
        // E.164: a plus, a country code that does not start with 0, at most 15 digits in all.
        if (!E164().IsMatch(compact))
        {
            v.AddError("phone", "The phone field must be an international number such as +34600123456.");
            return null;
        }
        return compact;
    }

    private static string? Email(Validator v)
    {
        var email = v.Text("email", required: true, maxLength: 254);
        if (email is null)
        {
            return null;
        }
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !EmailPattern().IsMatch(email))
        {
            v.AddError("email", "The email field must be a valid email address.");
            return null;
        }
        return email.ToLowerInvariant();
    }

    private static (string? Type, string? Number) Identification(Validator v, string? countryCode)
    {
        var type = v.Text("identification_type", required: true, maxLength: 40)?.ToUpperInvariant();
        var number = v.Text("identification_number", required: true, maxLength: 40);
        if (type is null || number is null || countryCode is null)
        {
            return (null, null);
        }
        if (!IdentityDocuments.TypesFor(countryCode).Contains(type))
        {
            v.AddError("identification_type", $"The selected identification type is invalid for country {countryCode}; use one of {string.Join(", ", IdentityDocuments.TypesFor(countryCode))}.");
            return (null, null);
        }
        var check = IdentityDocuments.Validate(countryCode, type, number);
        if (!check.IsValid)
        {
            v.AddError("identification_number", check.Error ?? "The identification number is invalid.");
            return (null, null);
        }
        return (type, IdentityDocuments.Normalize(type, number));
    }

    private static DateOnly? DateOfBirth(Validator v, DateOnly today)
    {
        var text = v.Text("dob", required: true, maxLength: 10);
        if (text is null)
        {
            return null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
        {
            v.AddError("dob", "The dob field must match the format Y-m-d.");
            return null;
        }
        if (dob > today.AddYears(-MinimumAge))
        {
            v.AddError("dob", $"The customer must be at least {MinimumAge} years old.");
            return null;
        }
        if (dob < today.AddYears(-120))
        {
            v.AddError("dob", "The dob field must be a date after " + today.AddYears(-120).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".");
            return null;
        }
        return dob;
    }

    /// <summary>
    /// Spanish customers give an IBAN (checked by mod-97 and length). LATAM customers have no IBAN: the field
    /// carries their local account number (CBU, CLABE, …), which is only checked for shape; docs/api.md says so.
    /// </summary>
    private static string? BankAccount(Validator v, string? countryCode)
    {
        var raw = v.Text("iban", required: false, maxLength: 42);
        if (raw is null || countryCode is null)
        {
            return null;
        }
        if (countryCode is "ESP" or "ES")
        {
            if (!Iban.IsValid(raw, out var normalized))
            {
                v.AddError("iban", "The iban field must be a valid IBAN.");
                return null;
            }
            return normalized;
        }
        var compact = PhoneSeparators().Replace(raw, "").ToUpperInvariant();
        if (!LocalAccountPattern().IsMatch(compact))
        {
            v.AddError("iban", "The iban field must be 6 to 34 letters and digits.");
            return null;
        }
        return compact;
    }

    [GeneratedRegex(@"[\s\-\.\(\)]")]
    private static partial Regex PhoneSeparators();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 \-]{1,18}[A-Za-z0-9]$")]
    private static partial Regex ZipcodePattern();

    [GeneratedRegex(@"^[A-Z0-9]{6,34}$")]
    private static partial Regex LocalAccountPattern();
}
