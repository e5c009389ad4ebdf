using System.Globalization;
using System.Text.Json;
using Cryptopocket.Contracts;

namespace Cryptopocket.Server.Infrastructure.Validation;

/// <summary>
/// Reads fields out of a request and collects Laravel-style validation messages, so that wrong types, missing
/// fields and out-of-range values all end in the documented HTTP 422 body instead of a binding exception.
/// Like Laravel, integer and numeric rules accept numeric strings ("240") as well as JSON numbers.
/// </summary>
public sealed class Validator(RequestFields fields)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public bool HasErrorFor(string field) => _errors.ContainsKey(field);

    public void AddError(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        list.Add(message);
    }

    public static string Attribute(string field) => field.Replace('_', ' ');

    public bool IsPresent(string field) => fields.TryGet(field, out var value) && !IsBlank(value);

    public string? Text(string field, bool required, int maxLength)
    {
        if (!fields.TryGet(field, out var value) || IsBlank(value))
        {
            if (required)
            {
                AddError(field, $"The {Attribute(field)} field is required.");
            }
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            AddError(field, $"The {Attribute(field)} field must be a string.");
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length > maxLength)
        {
            AddError(field, $"The {Attribute(field)} field must not be greater than {maxLength} characters.");
            return null;
        }
        if (text.Any(char.IsControl))
        {
            AddError(field, $"The {Attribute(field)} field must not contain control characters.");
            return null;
        }
        return text;
    }

    public long? WholeNumber(string field, bool required, long min = 1, long max = long.MaxValue)
    {
        if (!fields.TryGet(field, out var value) || IsBlank(value))
        {
            if (required)
            {
                AddError(field, $"The {Attribute(field)} field is required.");
            }
            return null;
        }
        var parsed = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            _ => (long?)null,
        };
        if (parsed is not { } number)
        {
            AddError(field, $"The {Attribute(field)} field must be an integer.");
            return null;
        }
        if (number < min || number > max)
        {
            AddError(field, $"The {Attribute(field)} field must be between {min} and {max}.");
            return null;
        }
        return number;
    }

    /// <summary>A strictly positive decimal amount with at most <paramref name="maxScale"/> places and at most <paramref name="max"/>.</summary>
    public decimal? Amount(string field, bool required, int maxScale, decimal max)
    {
        if (!fields.TryGet(field, out var value) || IsBlank(value))
        {
            if (required)
            {
                AddError(field, $"The {Attribute(field)} field is required.");
            }
            return null;
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString()!.Trim(),
            _ => null,
        };
        // Exponents and thousands separators are refused: an amount is written the one plain way.
        if (text is null || text.Length > 40
            || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            AddError(field, $"The {Attribute(field)} field must be a number.");
            return null;
        }
        if (amount <= 0)
        {
            AddError(field, $"The {Attribute(field)} field must be greater than 0.");
            return null;
        }
        if (amount > max)
        {
            AddError(field, $"The {Attribute(field)} field must not be greater than {max.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }
        if (decimal.Round(amount, maxScale) != amount)
        {
            AddError(field, $"The {Attribute(field)} field must not have more than {maxScale} decimal places.");
            return null;
        }
        return amount;
    }

    public string? OneOf(string field, bool required, IReadOnlyCollection<string> allowed, bool ignoreCase = false)
    {
        var text = Text(field, required, 100);
        if (text is null)
        {
            return null;
        }
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var match = allowed.FirstOrDefault(a => string.Equals(a, text, comparison));
        if (match is null)
        {
            AddError(field, $"The selected {Attribute(field)} is invalid.");
        }
        return match;
    }

    public Uri? Url(string field, bool required, int maxLength = 2048)
    {
        var text = Text(field, required, maxLength);
        if (text is null)
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(uri.Host))
        {
            AddError(field, $"The {Attribute(field)} field must be a valid URL.");
            return null;
        }
        return uri;
    }

    /// <summary>An ISO 8601 date (<c>2026-11-01</c>, read as midnight UTC) or date-time with an offset or <c>Z</c>.</summary>
    public DateTime? Timestamp(string field, bool required)
    {
        var text = Text(field, required, 40);
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment)
            && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 9))
        {
            return moment.UtcDateTime;
        }
        AddError(field, $"The {Attribute(field)} field must be an ISO 8601 date or date-time with a time zone.");
        return null;
    }

    public IResult ToResult()
    {
        var errors = _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        var first = _errors.First().Value[0];
        var more = _errors.Sum(e => e.Value.Count) - 1;
        var message = more switch
        {
            0 => first,
            1 => $"{first} (and 1 more error)",
            _ => $"{first} (and {more} more errors)",
        };
        return TypedResults.Json(new ValidationErrorResponse(message, errors), statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    private static bool IsBlank(JsonElement value) =>
        value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
        || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()));
}
