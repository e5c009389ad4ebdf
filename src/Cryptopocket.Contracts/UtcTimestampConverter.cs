using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cryptopocket.Contracts;

/// <summary>
/// Timestamps as the public API writes them: UTC, six fractional digits and a <c>Z</c>
/// (<c>2026-06-26T10:30:00.000000Z</c>, Laravel/Carbon's format). Reading accepts any ISO 8601 offset.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
