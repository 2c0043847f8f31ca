using System.Text.Json;
using System.Text.Json.Serialization;
using KubeOS.Api.Serialization;

namespace KubeOS.Api.Models;

/// <summary>
/// <c>status.operation</c> of an OSInstance: the operation the proxy runs (or last ran) on the node, recorded in the
/// cluster so a restarted proxy continues where the last one stopped.
/// </summary>
public sealed class NodeOperation
{
    /// <summary>upgrade, rollback or config, as in the owning OS.</summary>
    [JsonPropertyName("opstype")] public string? OpsType { get; set; }

    /// <summary>The osImage the node must end on (<c>spec.osversion</c> of the owning OS).</summary>
    [JsonPropertyName("targetversion")] public string? TargetVersion { get; set; }

    /// <summary>The osImage the node ran when the operation started.</summary>
    [JsonPropertyName("fromversion")] public string? FromVersion { get; set; }

    /// <summary>The sysconfigs version the operation applies (<c>spec.sysconfigs.version</c> of the owning OS).</summary>
    [JsonPropertyName("configversion")] public string? ConfigVersion { get; set; }

    [JsonPropertyName("os")] public OperationOwner? OS { get; set; }

    [JsonPropertyName("startedat"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When the current phase began; deadlines (drain, reboot) count from here.</summary>
    [JsonPropertyName("phasestartedat"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? PhaseStartedAt { get; set; }

    /// <summary>The node's bootID recorded just before the reboot was requested; a different bootID means it rebooted.</summary>
    [JsonPropertyName("bootid")] public string? BootId { get; set; }

    /// <summary>True when the proxy cordoned the node; only then does it uncordon it at the end.</summary>
    [JsonPropertyName("cordonedbyus")] public bool? CordonedByUs { get; set; }

    /// <summary>1 for the first attempt at this target on this node, counting up on each new assignment of the same target.</summary>
    [JsonPropertyName("attempt")] public int? Attempt { get; set; }

    /// <summary>Machine-readable cause when the operation failed, one of <see cref="NodeFailureReasons"/>.</summary>
    [JsonPropertyName("failurereason")] public string? FailureReason { get; set; }

    /// <summary>The post-reboot health gate (only with spec.healthgate in the owning OS).</summary>
    [JsonPropertyName("healthgate")] public HealthGateRecord? HealthGate { get; set; }
    /// <summary>Seconds spent in each phase this operation has left so far (not in KubeOS).</summary>
    [JsonPropertyName("phasedurations")] public Dictionary<string, double>? PhaseDurations { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The OS object that owns an operation, with the generation the proxy acted on.</summary>
public sealed class OperationOwner
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("generation")] public long? Generation { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
