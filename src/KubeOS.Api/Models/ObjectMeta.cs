using System.Text.Json;
using System.Text.Json.Serialization;
using KubeOS.Api.Serialization;

namespace KubeOS.Api.Models;

/// <summary>Kubernetes object metadata; fields not modelled here are kept in <see cref="ExtensionData"/>.</summary>
public sealed class ObjectMeta
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("generateName")] public string? GenerateName { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
    [JsonPropertyName("generation")] public long? Generation { get; set; }

    [JsonPropertyName("creationTimestamp"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? CreationTimestamp { get; set; }

    [JsonPropertyName("deletionTimestamp"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? DeletionTimestamp { get; set; }

    [JsonPropertyName("deletionGracePeriodSeconds")] public long? DeletionGracePeriodSeconds { get; set; }
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("finalizers")] public List<string>? Finalizers { get; set; }
    [JsonPropertyName("ownerReferences")] public List<OwnerReference>? OwnerReferences { get; set; }

    /// <summary>managedFields and anything newer, kept verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class OwnerReference
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("controller")] public bool? Controller { get; set; }
    [JsonPropertyName("blockOwnerDeletion")] public bool? BlockOwnerDeletion { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
