using KubeOS.Api;
using KubeOS.Api.Models;

namespace KubeOS.Operator.Rollout;

/// <summary>
/// Reads the proxies' per-node records (OSInstance status.phase and status.operation) for the operator: which nodes
/// failed the current target of an OS, so the planner does not hand them the same work again (<see cref="ClusterView.FailedNodes"/>).
/// </summary>
public static class NodeProgressReader
{
    /// <summary>
    /// A node failed for an OS when its status records phase Failed for an operation owned by that OS, of its opstype,
    /// towards its current osversion — and for config, its current sysconfigs version. Changing the OS's target (or
    /// config version) makes the node eligible again.
    /// </summary>
    public static bool FailedFor(OS os, OSInstance osi)
    {
        ArgumentNullException.ThrowIfNull(os);
        ArgumentNullException.ThrowIfNull(osi);
        if (osi.Status is not { Phase: NodePhases.Failed, Operation: { } op }) return false;
        var spec = os.Spec ?? new OSSpec();
        return op.OS?.Name == os.Metadata?.Name &&
               (op.OS?.Namespace ?? "default") == (os.Metadata?.Namespace ?? "default") &&
               op.OpsType == spec.OpsType &&
               op.TargetVersion == spec.OSVersion &&
               (spec.OpsType != WellKnown.OpsTypes.Config || (op.ConfigVersion ?? "") == NodeScope.VersionOf(spec.SysConfigs));
    }

    /// <summary>
    /// The nodes whose drain gave up with spec.drain.escalation.action skip for the OS's current target: recorded as a
    /// failed operation with reason DrainSkipped, so they are not reassigned, but counted as skipped.
    /// </summary>
    public static IReadOnlySet<string> SkippedNodes(OS os, IEnumerable<OSInstance> instances) =>
        instances.Where(osi => osi.Metadata?.Name is not null && FailedFor(os, osi) &&
                               osi.Status?.Operation?.FailureReason == NodeFailureReasons.DrainSkipped)
            .Select(osi => osi.Metadata!.Name!)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The names of the nodes (OSInstance names) that failed the OS's current target.</summary>
    public static IReadOnlySet<string> FailedNodes(OS os, IEnumerable<OSInstance> instances) =>
        instances.Where(osi => osi.Metadata?.Name is not null && FailedFor(os, osi))
            .Select(osi => osi.Metadata!.Name!)
            .ToHashSet(StringComparer.Ordinal);
}
