using KubeOS.Api.Models;

namespace KubeOS.Proxy.Steps;

/// <summary>
/// Keeps the per-node record plans and Get-KubeOSUpgrade read: seconds spent in each phase of the running operation
/// (added when the phase changes), and a history entry when an operation ends. Pure, part of writing the status.
/// </summary>
public static class NodeHistory
{
    /// <summary>The operation to record, with the phase being left added to its phase durations.</summary>
    public static NodeOperation? WithPhaseDuration(OSInstanceStatus? current, NodeOperation? op, string nextPhase, DateTimeOffset now)
    {
        if (op is null || current?.Operation is not { PhaseStartedAt: { } since } previous) return op;
        var leaving = current.Phase;
        if (leaving is null || leaving == nextPhase || leaving == NodePhases.Idle || NodePhases.IsTerminal(leaving)) return op;
        if (previous.StartedAt != op.StartedAt || now < since) return op; // another operation: its clock does not carry over
        var durations = new Dictionary<string, double>(op.PhaseDurations ?? previous.PhaseDurations ?? [], StringComparer.Ordinal);
        durations[leaving] = Math.Round(durations.GetValueOrDefault(leaving) + (now - since).TotalSeconds, 3);
        var copy = op.With();
        copy.PhaseDurations = durations;
        return copy;
    }

    /// <summary>The history after this write: one entry more when the operation has just ended, at most <see cref="NodeHistoryEntry.Limit"/>.</summary>
    public static List<NodeHistoryEntry>? Append(OSInstanceStatus? current, NodeOperation? op, string nextPhase, DateTimeOffset now)
    {
        var history = current?.History;
        if (op is null || !NodePhases.IsTerminal(nextPhase) || NodePhases.IsTerminal(current?.Phase) || current?.Phase is null or NodePhases.Idle)
            return history;
        var entry = new NodeHistoryEntry
        {
            OpsType = op.OpsType, FromVersion = op.FromVersion, TargetVersion = op.TargetVersion,
            OS = op.OS is null ? null : $"{op.OS.Namespace ?? "default"}/{op.OS.Name}",
            StartedAt = op.StartedAt, FinishedAt = now, Result = nextPhase, FailureReason = op.FailureReason,
            PhaseDurations = op.PhaseDurations,
        };
        return [.. (history ?? []).TakeLast(NodeHistoryEntry.Limit - 1), entry];
    }
}
