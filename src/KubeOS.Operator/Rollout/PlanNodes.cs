using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Planning;

namespace KubeOS.Operator.Rollout;

/// <summary>
/// The operator's cluster view as plan input: each selected node classified as the planner counts it (in operation,
/// failed, skipped, pending, done), whether it is out of service already, and whether it has started for this target.
/// </summary>
public static class PlanNodes
{
    public static IReadOnlyList<PlanNode> Of(ClusterView view)
    {
        var os = view.Target;
        var spec = os.Spec ?? new OSSpec();
        var label = NodeScope.OperationLabel(spec.OpsType ?? "");
        var upgradeLike = spec.OpsType != WellKnown.OpsTypes.Config;
        var result = new List<PlanNode>();
        foreach (var node in view.Nodes.Where(n => NodeScope.InScope(os, n)).OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            var osi = view.InstanceOf(node.Name);
            var assigned = node.HasLabel(label) || osi?.Spec?.NodeStatus is { } s && s != WellKnown.NodeStatuses.Idle;
            var state =
                osi is null ? PlanNodeState.Pending :
                assigned ? PlanNodeState.InOperation :
                view.Skipped.Contains(node.Name) ? PlanNodeState.Skipped :
                view.Failed.Contains(node.Name) ? PlanNodeState.Failed :
                NodeScope.NeedsOperation(os, node, osi) ? (node.Ready ? PlanNodeState.Pending : PlanNodeState.Skipped) :
                NodeScope.VersionMismatchForConfig(os, node) ? PlanNodeState.Skipped :
                PlanNodeState.Done;
            var started = assigned || osi is not null && StageProgress.Touched(os, osi);
            result.Add(new PlanNode(node.Name, node.Labels, state, upgradeLike && (node.Unschedulable || !node.Ready), started,
                osi is null ? null : StageProgress.FinishedAt(osi)));
        }
        return result;
    }

    /// <summary>Every history entry the view's OSInstances record, for <see cref="DurationEstimate"/>.</summary>
    public static IEnumerable<NodeHistoryEntry> History(ClusterView view) =>
        view.Instances.Values.SelectMany(i => i.Status?.History ?? []);
}
