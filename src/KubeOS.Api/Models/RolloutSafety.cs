using System.Text.Json;
using System.Text.Json.Serialization;
using KubeOS.Api.Serialization;

namespace KubeOS.Api.Models;

// Not in KubeOS. Every field here is optional and absent means KubeOS's behaviour, so a plain KubeOS manifest is unchanged.

/// <summary><c>spec.prestage</c>: fetch and verify the image onto every targeted node before the first cordon.</summary>
public sealed class PrestageSpec
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }

    /// <summary>How many nodes download at once; default <see cref="DefaultMaxConcurrent"/>.</summary>
    [JsonPropertyName("maxconcurrent")] public int? MaxConcurrent { get; set; }

    /// <summary>Bytes per second per node, as a Kubernetes quantity ("50Mi", "200M"); absent = unlimited.</summary>
    [JsonPropertyName("bandwidthlimit")] public string? BandwidthLimit { get; set; }

    public const int DefaultMaxConcurrent = 5;

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary><c>spec.healthgate</c>: what a node must show after its reboot before it frees its slot.</summary>
public sealed class HealthGateSpec
{
    /// <summary>Label selector (kubectl syntax: <c>app=web,tier!=db,canary</c>) of pods on the node that must be Ready.</summary>
    [JsonPropertyName("podselector")] public string? PodSelector { get; set; }

    [JsonPropertyName("httpprobe")] public HttpProbeSpec? HttpProbe { get; set; }

    /// <summary>Seconds every check must keep passing before the node counts as healthy; default 0.</summary>
    [JsonPropertyName("baketime")] public int? BakeTime { get; set; }

    /// <summary>Seconds after the reboot within which the checks must pass and bake; default <see cref="DefaultTimeout"/>.</summary>
    [JsonPropertyName("timeout")] public int? Timeout { get; set; }

    public const int DefaultTimeout = 600;

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An HTTP GET made by os-proxy on the node; <c>$(NODE_NAME)</c> in the URL becomes the node's name.</summary>
public sealed class HttpProbeSpec
{
    [JsonPropertyName("url")] public string? Url { get; set; }

    /// <summary>The status code that passes; default 200.</summary>
    [JsonPropertyName("expectstatus")] public int? ExpectStatus { get; set; }

    public const int DefaultExpectStatus = 200;
    public const string NodeNamePlaceholder = "$(NODE_NAME)";

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Values of <c>spec.onfailurebudget</c>.</summary>
public static class FailureBudgetActions
{
    /// <summary>Stop assigning new nodes (the default).</summary>
    public const string Halt = "halt";
    /// <summary>Stop, and roll the nodes this OS already upgraded back to the version they came from.</summary>
    public const string Revert = "revert";
    public static readonly IReadOnlyList<string> All = [Halt, Revert];
}

/// <summary><c>OSInstance.spec.prestage</c>, written by the operator: stage this OS's image now, without cordoning.</summary>
public sealed class PrestageRequest
{
    [JsonPropertyName("os")] public NamespacedName? OS { get; set; }
    [JsonPropertyName("osversion")] public string? OSVersion { get; set; }
    [JsonPropertyName("checksum")] public string? Checksum { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>
/// <c>OSInstance.spec.revert</c>, written by the operator with an assignment when <c>onfailurebudget: revert</c>:
/// the node's operation is a rollback from <see cref="FromVersion"/> (the OS's target) to <see cref="ToVersion"/>.
/// </summary>
public sealed class RevertRequest
{
    [JsonPropertyName("fromversion")] public string? FromVersion { get; set; }
    [JsonPropertyName("toversion")] public string? ToVersion { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary><c>OSInstance.status.prestage</c>, written by the proxy: what pre-staging did on the node.</summary>
public sealed class PrestageStatus
{
    [JsonPropertyName("os")] public NamespacedName? OS { get; set; }
    [JsonPropertyName("osversion")] public string? OSVersion { get; set; }
    [JsonPropertyName("checksum")] public string? Checksum { get; set; }

    /// <summary>One of <see cref="PrestageStates"/>.</summary>
    [JsonPropertyName("state")] public string? State { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }

    [JsonPropertyName("startedat"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? StartedAt { get; set; }

    [JsonPropertyName("finishedat"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>True when this request matches what the status records (same OS, version and checksum).</summary>
    public bool IsFor(PrestageRequest request) =>
        OS?.Name == request.OS?.Name && (OS?.Namespace ?? "default") == (request.OS?.Namespace ?? "default") &&
        OSVersion == request.OSVersion && string.Equals(Checksum ?? "", request.Checksum ?? "", StringComparison.OrdinalIgnoreCase);

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public static class PrestageStates
{
    public const string Staging = "Staging";
    /// <summary>Downloaded and verified (checksum) onto the inactive partition.</summary>
    public const string Staged = "Staged";
    public const string Failed = "Failed";
    public static readonly IReadOnlyList<string> All = [Staging, Staged, Failed];
}

/// <summary><c>status.operation.healthgate</c>: the post-reboot health gate of this operation.</summary>
public sealed class HealthGateRecord
{
    /// <summary>Since when every check passes without a break; null while some check fails.</summary>
    [JsonPropertyName("passingsince"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? PassingSince { get; set; }

    /// <summary>Passed or Failed once decided (<see cref="HealthGateResults"/>); null while the gate runs.</summary>
    [JsonPropertyName("result")] public string? Result { get; set; }

    /// <summary>The failing check when the gate failed.</summary>
    [JsonPropertyName("message")] public string? Message { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public static class HealthGateResults
{
    public const string Passed = "Passed";
    public const string Failed = "Failed";
}
