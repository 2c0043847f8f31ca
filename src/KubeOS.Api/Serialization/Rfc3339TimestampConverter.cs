using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeOS.Api.Serialization;

/// <summary>Reads and writes Kubernetes timestamps the way the API server does: RFC 3339, UTC, whole seconds, "Z".</summary>
public sealed class Rfc3339TimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        throw new JsonException($"must be an RFC 3339 timestamp such as 2024-01-31T22:00:00Z, got \"{text}\"");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
