using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Cryptopocket.Contracts;

namespace Cryptopocket.Server.Infrastructure.Validation;

/// <summary>
/// The fields of a request, whatever it arrived as: a JSON object body, a form-encoded body or the query string.
/// Reading by hand (not model binding) is what lets every malformed input get the documented error.
/// </summary>
public sealed class RequestFields
{
    /// <summary>Bodies above this are refused before parsing; every documented request is far smaller.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly Dictionary<string, JsonElement> _values;

    private RequestFields(Dictionary<string, JsonElement> values) => _values = values;

    public static RequestFields Empty { get; } = new(new Dictionary<string, JsonElement>());

    public bool TryGet(string name, out JsonElement value) => _values.TryGetValue(name, out value);

    /// <summary>
    /// The query string's fields, read from the raw query string as ASP.NET Core's own <c>Request.Query</c> reads it
    /// (names and values URL-decoded, a repeated name's non-empty values joined with commas), without building that collection:
    /// enumerating it through its interface copied it on every call, and the quote, which every partner polls, paid for it.
    /// </summary>
    public static RequestFields FromQuery(HttpRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in new QueryStringEnumerable(request.QueryString.Value))
        {
            var name = pair.DecodeName().ToString();
            var value = pair.DecodeValue().ToString();
            // As StringValues.ToString() joins a repeated name's values: commas between the non-empty ones.
            fields[name] = !fields.TryGetValue(name, out var earlier) || earlier.Length == 0 ? value
                : value.Length == 0 ? earlier
                : $"{earlier},{value}";
        }
        return FromStrings(fields.Select(f => (f.Key, f.Value)), fields.Count);
    }

    /// <summary>
    /// Text fields as the JSON strings the validator reads. Written as one object and read back as one element, not
    /// one document per field: the quote, a query-string read every partner polls, pays for this on every call.
    /// </summary>
    private static RequestFields FromStrings(IEnumerable<(string Name, string Value)> fields, int count)
    {
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
        }
        var reader = new Utf8JsonReader(json.WrittenSpan);
        var values = new Dictionary<string, JsonElement>(count, StringComparer.Ordinal);
        foreach (var property in JsonElement.ParseValue(ref reader).EnumerateObject())
        {
            values[property.Name] = property.Value;
        }
        return new RequestFields(values);
    }

    /// <summary>Reads the body; answers with the error to send when it cannot be read as fields.</summary>
    public static async Task<(RequestFields? Fields, IResult? Error)> FromBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, PayloadTooLarge());
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return (FromStrings(form.Select(f => (f.Key, f.Value.ToString())), form.Count), null);
        }

        // Read into a pooled buffer and parsed from there: a new 8 KB chunk and a growing stream per request were an
        // eighth of what a purchase allocated (docs/performance.md, "Tenth session").
        var body = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } declared ? (int)declared + 1 : 4096);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == body.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(body.Length * 2);
                    body.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(body);
                    body = larger;
                }
                var read = await request.Body.ReadAsync(body.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > MaxBodyBytes)
                {
                    return (null, PayloadTooLarge());
                }
            }
            return length == 0 ? (Empty, null) : ParseObject(body.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>
    /// The body's one JSON object, copied out of the buffer once (its fields share the copy, instead of one document
    /// each); anything else, trailing text included, is <see cref="NotAnObject"/>.
    /// </summary>
    private static (RequestFields? Fields, IResult? Error) ParseObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
            var root = JsonElement.ParseValue(ref reader);
            if (root.ValueKind != JsonValueKind.Object || reader.Read())
            {
                return (null, NotAnObject());
            }
            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                values[property.Name] = property.Value;
            }
            return (new RequestFields(values), null);
        }
        catch (JsonException)
        {
            return (null, NotAnObject());
        }
    }

    private static IResult PayloadTooLarge() =>
        ApiResults.Error(ErrorCodes.PayloadTooLarge, StatusCodes.Status413PayloadTooLarge, $"The request body must not exceed {MaxBodyBytes} bytes.");

    private static IResult NotAnObject()
    {
        const string Message = "The request body must be a JSON object.";
        return TypedResults.Json(
            new ValidationErrorResponse(Message, new Dictionary<string, string[]> { ["body"] = [Message] }),
            statusCode: StatusCodes.Status422UnprocessableEntity);
    }
}
