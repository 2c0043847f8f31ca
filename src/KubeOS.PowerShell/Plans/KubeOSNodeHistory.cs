using KubeOS.Api.Models;

namespace KubeOS.PowerShell;

/// <summary>One finished operation of a node: from and to which version, how long each phase took, and why it failed.</summary>
public sealed class KubeOSNodeHistory
{
    public required string Node { get; init; }
    public string? OpsType { get; init; }
    public string? FromVersion { get; init; }
    public string? ToVersion { get; init; }

    /// <summary>The OS object (namespace/name) that ran the operation.</summary>
    public string? OS { get; init; }

    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;

    /// <summary>Succeeded or Failed.</summary>
    public string? Result { get; init; }

    public string? FailureReason { get; init; }

    /// <summary>Time spent in each phase, in the order the node went through them.</summary>
    public IReadOnlyDictionary<string, TimeSpan> PhaseDurations { get; init; } = new Dictionary<string, TimeSpan>();

    /// <summary>"Draining 40s, Rebooting 1m0s", for tables.</summary>
    public string Phases => string.Join(", ", PhaseDurations.Select(p => $"{p.Key} {Short(p.Value)}"));

    public static KubeOSNodeHistory[] Of(string node, OSInstance? osi) =>
        (osi?.Status?.History ?? []).Select(h => new KubeOSNodeHistory
        {
            Node = node, OpsType = h.OpsType, FromVersion = h.FromVersion, ToVersion = h.TargetVersion, OS = h.OS,
            StartedAt = h.StartedAt?.UtcDateTime, FinishedAt = h.FinishedAt?.UtcDateTime, Result = h.Result, FailureReason = h.FailureReason,
            PhaseDurations = (h.PhaseDurations ?? []).OrderBy(p => Array.IndexOf(NodePhases.All.ToArray(), p.Key))
                .ToDictionary(p => p.Key, p => TimeSpan.FromSeconds(p.Value)),
        }).ToArray();

    internal static string Short(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes}m"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds}s"
        : $"{Math.Round(t.TotalSeconds, 1)}s";

    public override string ToString() => $"{Node}: {FromVersion} -> {ToVersion} {Result}";
}
