using System.Text.Json.Serialization;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.State;

/// <summary>What the agent remembers between calls. Kept under /run: a reboot starts clean, and the disk state
/// (partitions, grubenv) is always re-read from the system.</summary>
public sealed class AgentState
{
    [JsonPropertyName("staged")] public StagedImage? Staged { get; set; }
    [JsonPropertyName("last_result")] public OperationResult? LastResult { get; set; }

    /// <summary>Set while a partition is being written; found at start-up it means the agent died mid-write.</summary>
    [JsonPropertyName("in_progress")] public InProgressWrite? InProgress { get; set; }
}

public sealed class InProgressWrite
{
    [JsonPropertyName("method")] public string Method { get; set; } = "";
    [JsonPropertyName("partition")] public string Partition { get; set; } = "";
    [JsonPropertyName("device")] public string Device { get; set; } = "";
    [JsonPropertyName("started_at")] public DateTimeOffset StartedAt { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentState))]
internal sealed partial class AgentStateJsonContext : JsonSerializerContext
{
}
