using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeOS.Api.Models;

/// <summary>
/// <c>spec.topologylimit</c> (not in KubeOS): at most <see cref="MaxUnavailable"/> nodes out of service per value of
/// the node label <see cref="Key"/>, e.g. one node per zone.
/// </summary>
public sealed class TopologyLimit
{
    [JsonPropertyName("key")] public string? Key { get; set; }

    /// <summary>Integer or percentage of the selected nodes carrying that label value; absent means 1.</summary>
    [JsonPropertyName("maxunavailable")] public IntOrPercent? MaxUnavailable { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>
/// One entry of <c>spec.stages</c> (not in KubeOS): how many more nodes this stage takes — <see cref="Nodes"/> or
/// <see cref="Percent"/> of the nodes the rollout has to change — and how long to wait after it finished before the
/// next stage starts. The nodes left after the last stage form a final stage.
/// </summary>
public sealed class RolloutStage
{
    [JsonPropertyName("nodes")] public int? Nodes { get; set; }

    /// <summary>"10%": rounded down, at least one node.</summary>
    [JsonPropertyName("percent")] public string? Percent { get; set; }

    /// <summary>Seconds to wait once every node of this stage finished, before the next stage starts.</summary>
    [JsonPropertyName("bake")] public int? Bake { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>
/// <c>spec.drain</c> (not in KubeOS): what a drain does with each kind of pod KubeOS's single <c>evictpodforce</c>
/// decides together, and what happens when a drain does not finish.
/// </summary>
public sealed class DrainSpec
{
    /// <summary><c>ignore</c> (default): leave DaemonSet pods running; <c>block</c>: refuse to drain a node running one.</summary>
    [JsonPropertyName("daemonsetpods")] public string? DaemonSetPods { get; set; }

    /// <summary><c>evict</c>: evict pods with emptyDir volumes (their data is lost); <c>block</c>: refuse, as kubectl drain does without --delete-emptydir-data.</summary>
    [JsonPropertyName("emptydirpods")] public string? EmptyDirPods { get; set; }

    /// <summary><c>evict</c>: evict pods no controller would recreate; <c>block</c>: refuse, as kubectl drain does without --force.</summary>
    [JsonPropertyName("unmanagedpods")] public string? UnmanagedPods { get; set; }

    [JsonPropertyName("escalation")] public DrainEscalation? Escalation { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Wait, warn after <see cref="WarnAfter"/> seconds, then at <see cref="FailAfter"/> seconds fail the node or skip it.</summary>
public sealed class DrainEscalation
{
    [JsonPropertyName("warnafter")] public int? WarnAfter { get; set; }
    [JsonPropertyName("failafter")] public int? FailAfter { get; set; }

    /// <summary><c>fail</c> (default): the node fails, uncordoned; <c>skip</c>: the node is uncordoned and left on its version, counted as skipped.</summary>
    [JsonPropertyName("action")] public string? Action { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Spelling of the drain knobs.</summary>
public static class DrainChoices
{
    public const string Ignore = "ignore";
    public const string Evict = "evict";
    public const string Block = "block";
    public const string Fail = "fail";
    public const string Skip = "skip";

    public static readonly IReadOnlyList<string> DaemonSet = [Ignore, Block];
    public static readonly IReadOnlyList<string> EvictOrBlock = [Evict, Block];
    public static readonly IReadOnlyList<string> Actions = [Fail, Skip];
}

/// <summary>Weekday names of <c>spec.timewindow.weekdays</c>.</summary>
public static class Weekdays
{
    public static readonly IReadOnlyList<string> All = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    /// <summary>"Mon" → Monday; case-insensitive; full English names are accepted too.</summary>
    public static DayOfWeek? Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length < 3) return null;
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var full = day.ToString();
            if (string.Equals(name, full, StringComparison.OrdinalIgnoreCase) || string.Equals(name, full[..3], StringComparison.OrdinalIgnoreCase))
                return day;
        }
        return null;
    }

    public static string Short(DayOfWeek day) => day.ToString()[..3];
}
