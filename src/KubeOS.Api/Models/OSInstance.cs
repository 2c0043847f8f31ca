using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeOS.Api.Models;

/// <summary>An <c>OSInstance</c>: one per node, named after the node, always in namespace <c>default</c>.</summary>
public sealed class OSInstance : KubeObject
{
    public OSInstance()
    {
        ApiVersion = WellKnown.ApiVersion;
        Kind = WellKnown.OSInstanceKind;
    }

    [JsonPropertyName("spec")] public OSInstanceSpec? Spec { get; set; }
    [JsonPropertyName("status")] public OSInstanceStatus? Status { get; set; }
}

public sealed class OSInstanceSpec
{
    [JsonPropertyName("nodestatus")] public string? NodeStatus { get; set; }

    /// <summary>The OS that owns the current operation; null when no operation is assigned.</summary>
    [JsonPropertyName("namespacedname")] public NamespacedName? NamespacedName { get; set; }

    [JsonPropertyName("sysconfigs")] public SysConfigs? SysConfigs { get; set; }
    [JsonPropertyName("upgradeconfigs")] public SysConfigs? UpgradeConfigs { get; set; }

    // Not in KubeOS (optional): pre-staging and revert requests from the operator.
    [JsonPropertyName("prestage")] public PrestageRequest? Prestage { get; set; }
    [JsonPropertyName("revert")] public RevertRequest? Revert { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class OSInstanceStatus
{
    /// <summary>The last sysconfigs applied successfully.</summary>
    [JsonPropertyName("sysconfigs")] public SysConfigs? SysConfigs { get; set; }

    /// <summary>The last upgradeconfigs applied successfully.</summary>
    [JsonPropertyName("upgradeconfigs")] public SysConfigs? UpgradeConfigs { get; set; }

    // Not in KubeOS: what the node is doing and why. Optional, so a KubeOS OSInstance reads and writes unchanged.

    /// <summary>Where the node is in its operation, one of <see cref="NodePhases"/>.</summary>
    [JsonPropertyName("phase")] public string? Phase { get; set; }

    /// <summary>One line for people: what the node is doing now, or why it failed.</summary>
    [JsonPropertyName("message")] public string? Message { get; set; }

    /// <summary>Standard Kubernetes conditions; types in <see cref="NodeConditionTypes"/>.</summary>
    [JsonPropertyName("conditions")] public List<NodeCondition>? Conditions { get; set; }

    /// <summary>The current or last operation; kept after it ends so a failure stays visible and is not retried blindly.</summary>
    [JsonPropertyName("operation")] public NodeOperation? Operation { get; set; }

    /// <summary>What pre-staging did on the node; kept across operations so a staged image is not fetched twice.</summary>
    [JsonPropertyName("prestage")] public PrestageStatus? Prestage { get; set; }
    /// <summary>The node's last finished operations, newest last (at most <see cref="NodeHistoryEntry.Limit"/>).</summary>
    [JsonPropertyName("history")] public List<NodeHistoryEntry>? History { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class NamespacedName
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
