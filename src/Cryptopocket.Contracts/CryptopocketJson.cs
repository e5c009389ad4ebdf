using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cryptopocket.Contracts;

/// <summary>The one set of JSON rules for the wire, applied by the server and the SDK alike.</summary>
public static class CryptopocketJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions());

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TypeInfoResolverChain.Insert(0, CryptopocketJsonContext.Default);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Records named explicitly keep their names; anything else the API writes (delivery logs) is snake_case too.
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new UtcTimestampConverter());
        return options;
    }
}
