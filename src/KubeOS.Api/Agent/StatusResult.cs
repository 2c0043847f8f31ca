using System.Text.Json.Serialization;

namespace KubeOS.Api.Agent;

/// <summary>Result of <c>status</c>: the node's A/B state as the running system reports it.</summary>
public sealed class StatusResult
{
    [JsonPropertyName("protocol_version")] public int ProtocolVersion { get; set; } = AgentMethods.ProtocolVersion;
    [JsonPropertyName("agent_version")] public string AgentVersion { get; set; } = "";
    [JsonPropertyName("active")] public PartitionStatus Active { get; set; } = new();
    [JsonPropertyName("inactive")] public PartitionStatus Inactive { get; set; } = new();

    /// <summary>GRUB's persistent default entry (A or B).</summary>
    [JsonPropertyName("saved_entry")] public string SavedEntry { get; set; } = "";

    /// <summary>One-shot entry armed for the next boot, empty when none; set by upgrade/rollback until the boot happens.</summary>
    [JsonPropertyName("next_entry")] public string NextEntry { get; set; } = "";

    /// <summary>True when the running root is not yet the saved default, i.e. a trial boot waiting for confirm_boot.</summary>
    [JsonPropertyName("boot_pending_confirmation")] public bool BootPendingConfirmation { get; set; }

    [JsonPropertyName("staged")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StagedImage? Staged { get; set; }

    [JsonPropertyName("last_result")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OperationResult? LastResult { get; set; }
}

public sealed class PartitionStatus
{
    /// <summary>GRUB entry and partition name: A (partition 2) or B (partition 3).</summary>
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("device")] public string Device { get; set; } = "";

    /// <summary>PRETTY_NAME from the partition's os-release (what Kubernetes shows as osImage); empty when not bootable.</summary>
    [JsonPropertyName("version")] public string Version { get; set; } = "";
    [JsonPropertyName("bootable")] public bool Bootable { get; set; }
}

/// <summary>What prepare_upgrade wrote to the inactive partition.</summary>
public sealed class StagedImage
{
    [JsonPropertyName("version")] public string Version { get; set; } = "";
    [JsonPropertyName("partition")] public string Partition { get; set; } = "";
    [JsonPropertyName("device")] public string Device { get; set; } = "";
    [JsonPropertyName("image_type")] public string ImageType { get; set; } = "";

    /// <summary>tar (a root filesystem unpacked into a fresh ext4) or raw (a filesystem image written as is).</summary>
    [JsonPropertyName("payload")] public string Payload { get; set; } = "";
    [JsonPropertyName("check_sum")] public string CheckSum { get; set; } = "";
    [JsonPropertyName("bytes")] public long Bytes { get; set; }
    [JsonPropertyName("staged_at")] public DateTimeOffset StagedAt { get; set; }
}

public sealed class OperationResult
{
    [JsonPropertyName("method")] public string Method { get; set; } = "";
    [JsonPropertyName("succeeded")] public bool Succeeded { get; set; }
    [JsonPropertyName("message")] public string Message { get; set; } = "";
    [JsonPropertyName("finished_at")] public DateTimeOffset FinishedAt { get; set; }
}
