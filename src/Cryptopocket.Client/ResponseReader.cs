using System.Net;
using System.Text.Json;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client;

/// <summary>Reads an answer of the API: its success envelope, or the <see cref="CryptopocketException"/> it stands for.</summary>
internal static class ResponseReader
{
    public static async Task<TResult> ReadAsync<TWire, TResult>(
        HttpResponseMessage response, Func<TWire, TResult> convert, CancellationToken cancellationToken)
        where TWire : class
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw Unexpected(status, $"The server answered HTTP {status} with a body that is not JSON.", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Unexpected(status, $"The server answered HTTP {status} with JSON that is not an object.");
            }
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                throw Validation(root, status);
            }

            var envelope = root.TryGetProperty("status", out var statusProperty) && statusProperty.ValueKind == JsonValueKind.String
                ? statusProperty.GetString()
                : null;
            if (envelope == Envelope.Error)
            {
                throw BusinessError(root, status);
            }
            // "sucess" is the documented misspelling of the transfer purchase's answer (wire reference §5.3).
            if (!response.IsSuccessStatusCode || envelope is not (Envelope.Ok or Envelope.Success or PaymentMessages.TransferSuccessStatus))
            {
                throw Unexpected(status, $"The server answered HTTP {status} without a success or error envelope.");
            }

            try
            {
                var wire = Deserialize<TWire>(root) ?? throw new FormatException("The answer is null.");
                return convert(wire);
            }
            catch (Exception exception) when (exception is JsonException or FormatException)
            {
                throw Unexpected(status, $"The server's answer does not match the contract: {exception.Message}", exception);
            }
        }
    }

    private static CryptopocketException BusinessError(JsonElement root, int status)
    {
        ErrorResponse? error;
        try
        {
            error = Deserialize<ErrorResponse>(root);
        }
        catch (JsonException exception)
        {
            return Unexpected(status, "The server's error envelope does not match the contract.", exception);
        }
        return string.IsNullOrEmpty(error?.Error)
            ? Unexpected(status, "The server's error envelope has no error code.")
            : new CryptopocketException(error.Error, status, error.Message, error.Data);
    }

    private static CryptopocketException Validation(JsonElement root, int status)
    {
        ValidationErrorResponse? validation;
        try
        {
            validation = Deserialize<ValidationErrorResponse>(root);
        }
        catch (JsonException exception)
        {
            return Unexpected(status, "The server's validation answer does not match the contract.", exception);
        }
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (field, messages) in validation?.Errors ?? new Dictionary<string, string[]>())
        {
            errors[field] = messages ?? [];
        }
        return new CryptopocketException(CryptopocketException.ValidationFailed, status, validation?.Message, validationErrors: errors);
    }

    private static CryptopocketException Unexpected(int status, string message, Exception? innerException = null) =>
        new(CryptopocketException.UnexpectedResponse, status, message, innerException: innerException);

    /// <summary>Reads <paramref name="element"/> with the wire's JSON rules.</summary>
    public static T? Deserialize<T>(JsonElement element) => element.Deserialize(ClientJson.TypeInfo<T>());
}
