using System.Text.Json;
using System.Text.Json.Serialization;
using KubeOS.Api.Serialization;

namespace KubeOS.Api.Models;

/// <summary>
/// One finished operation in <c>status.history</c> of an OSInstance (not in KubeOS): from and to which version, how
/// long each phase took and why it failed. The proxy keeps the newest <see cref="Limit"/>; plans read their durations
/// to forecast how long the rest of a rollout takes.
/// </summary>
public sealed class NodeHistoryEntry
{
    /// <summary>Entries kept per node; older ones are dropped.</summary>
    public const int Limit = 5;

    [JsonPropertyName("opstype")] public string? OpsType { get; set; }
    [JsonPropertyName("fromversion")] public string? FromVersion { get; set; }
    [JsonPropertyName("targetversion")] public string? TargetVersion { get; set; }
    [JsonPropertyName("os")] public string? OS { get; set; }

    [JsonPropertyName("startedat"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? StartedAt { get; set; }

    [JsonPropertyName("finishedat"), JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The terminal phase: Succeeded or Failed.</summary>
    [JsonPropertyName("result")] public string? Result { get; set; }

    [JsonPropertyName("failurereason")] public string? FailureReason { get; set; }

    /// <summary>Seconds spent in each phase (Preparing, Draining, Rebooting, …).</summary>
    [JsonPropertyName("phasedurations")] public Dictionary<string, double>? PhaseDurations { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
