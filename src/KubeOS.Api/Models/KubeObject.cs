using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeOS.Api.Models;

/// <summary>What every KubeOS resource carries: type information, metadata and fields this version does not know.</summary>
public abstract class KubeObject
{
    [JsonPropertyName("apiVersion"), JsonPropertyOrder(-3)]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind"), JsonPropertyOrder(-2)]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata"), JsonPropertyOrder(-1)]
    public ObjectMeta? Metadata { get; set; }

    /// <summary>Top-level fields of a later API version, kept so they survive a read-modify-write.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The metadata, created on first use.</summary>
    [JsonIgnore]
    public ObjectMeta Meta => Metadata ??= new ObjectMeta();
}
