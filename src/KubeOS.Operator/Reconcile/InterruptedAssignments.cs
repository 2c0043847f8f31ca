using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Cluster;
using KubeOS.Operator.Rollout;

namespace KubeOS.Operator.Reconcile;

/// <summary>
/// Assignments cut short between their two writes (OSInstance spec written, node label not yet added — an operator
/// stopped in between). The planner already counts such a node as in operation, so it is never reassigned; but its
/// proxy waits for the label, so without this the node would hold a slot forever. Adding the label finishes the
/// assignment without taking another node out of service.
/// </summary>
public static class InterruptedAssignments
{
    /// <summary>Nodes in scope of the OS whose OSInstance it owns and that still need its operation, but lack the label.</summary>
    public static IReadOnlyList<string> Of(OS os, ClusterSnapshot snapshot)
    {
        var opsType = os.Spec?.OpsType ?? "";
        if (!WellKnown.OpsTypes.All.Contains(opsType)) return [];
        var label = NodeScope.OperationLabel(opsType);
        var result = new List<string>();
        foreach (var node in snapshot.Nodes.Where(n => NodeScope.InScope(os, n) && !n.HasLabel(label)).OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (!snapshot.Instances.TryGetValue(node.Name, out var osi)) continue;
            if (osi.Spec?.NodeStatus is not { } status || status == WellKnown.NodeStatuses.Idle) continue;
            if (status != (opsType == WellKnown.OpsTypes.Config ? WellKnown.NodeStatuses.Config : WellKnown.NodeStatuses.Upgrade)) continue;
            if (!Owns(os, osi) || NodeProgressReader.FailedFor(os, osi) || !StillNeeded(os, node, osi)) continue;
            result.Add(node.Name);
        }
        return result;
    }

    private static bool Owns(OS os, OSInstance osi) =>
        osi.Spec?.NamespacedName?.Name == os.Metadata?.Name &&
        (osi.Spec?.NamespacedName?.Namespace ?? "default") == (os.Metadata?.Namespace ?? "default");

    /// <summary>
    /// Not yet done: the proxy releases a finished node by removing the label before idling the OSInstance, and that
    /// window must not be mistaken for an interrupted assignment.
    /// </summary>
    private static bool StillNeeded(OS os, NodeView node, OSInstance osi) =>
        os.Spec?.OpsType == WellKnown.OpsTypes.Config
            ? NodeScope.VersionOf(osi.Status?.SysConfigs) != NodeScope.VersionOf(os.Spec.SysConfigs)
            : node.OsImage != os.Spec?.OSVersion;
}
