using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Cryptopocket.Contracts;

namespace Cryptopocket.Client;

/// <summary>The SDK's JSON rules: the wire's (<see cref="CryptopocketJson"/>), which also read the SDK's own wire records.</summary>
internal static class ClientJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create()
    {
        var options = CryptopocketJson.Configure(new JsonSerializerOptions());
        options.TypeInfoResolverChain.Add(ClientJsonContext.Default);
        return options;
    }
}

/// <summary>Source-generated serialisation of the wire records only the SDK uses (the webhook administration calls).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OkResponse<string>))]
[JsonSerializable(typeof(OkResponse<IReadOnlyList<WebhookDeliveryDetail>>))]
[JsonSerializable(typeof(OkResponse<RedeliveryCount>))]
[JsonSerializable(typeof(OkResponse<TestWebhookQueued>))]
[JsonSerializable(typeof(RedeliverRangeRequest))]
[JsonSerializable(typeof(SendTestWebhookRequest))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
