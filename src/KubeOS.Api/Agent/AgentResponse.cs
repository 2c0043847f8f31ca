using System.Text.Json.Serialization;

namespace KubeOS.Api.Agent;

/// <summary>Result of prepare_upgrade, upgrade, rollback, configure and confirm_boot.</summary>
public sealed class AgentResponse
{
    /// <summary>One of <see cref="AgentStatus"/>.</summary>
    [JsonPropertyName("status")] public string Status { get; set; } = AgentStatus.Unknown;

    /// <summary>What the call changed (configure: one line per changed key; prepare: what was written). Not in KubeOS.</summary>
    [JsonPropertyName("changes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Changes { get; set; }
}
