using System.Text.Json;
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

    public static RequestFields FromQuery(IQueryCollection query) =>
        new(query.ToDictionary(q => q.Key, q => AsElement(q.Value.ToString()), StringComparer.Ordinal));

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
            return (new RequestFields(form.ToDictionary(f => f.Key, f => AsElement(f.Value.ToString()), StringComparer.Ordinal)), null);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, PayloadTooLarge());
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return (Empty, null);
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, NotAnObject());
            }
            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.Clone();
            }
            return (new RequestFields(values), null);
        }
        catch (JsonException)
        {
            return (null, NotAnObject());
        }
    }

    private static JsonElement AsElement(string value) =>
        JsonSerializer.SerializeToElement(value, CryptopocketJsonContext.Default.String);

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
