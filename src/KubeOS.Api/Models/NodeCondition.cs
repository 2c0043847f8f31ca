using System.Text.Json;
using System.Text.Json.Serialization;
using KubeOS.Api.Serialization;

namespace KubeOS.Api.Models;

/// <summary>A condition in the standard Kubernetes shape (metav1.Condition).</summary>
public sealed class NodeCondition
{
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>True, False or Unknown (<see cref="ConditionStatuses"/>).</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }

    [JsonPropertyName("lastTransitionTime"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
