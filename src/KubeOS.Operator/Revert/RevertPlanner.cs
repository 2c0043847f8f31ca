using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;

namespace KubeOS.Operator.Revert;

/// <summary>
/// spec.onfailurebudget: revert (not in KubeOS). Once the failure budget is spent, the nodes this OS upgraded are
/// assigned a rollback to the version they came from (spec.revert on their OSInstance), maxunavailable at a time, in
/// name order. Pure. A node counts as upgraded by this OS when its last operation is this OS's upgrade to its target,
/// it succeeded, and the node still runs the target.
/// </summary>
public static class RevertPlanner
{
    public static RolloutDecision WithReverts(ClusterView view, IReadOnlyList<NodeView> scope, RolloutDecision halt)
    {
        var os = view.Target;
        var spec = os.Spec ?? new OSSpec();
        if (halt.Block != RolloutBlock.FailureBudgetExhausted || spec.OnFailureBudget != FailureBudgetActions.Revert ||
            spec.OpsType != WellKnown.OpsTypes.Upgrade)
            return halt;

        var label = WellKnown.Labels.Upgrading;
        var upgraded = scope.Where(n => UpgradedBy(os, n, view.InstanceOf(n.Name))).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var busy = scope.Count(n => RolloutPlanner.InOperation(view, n, label));
        var maxUnavailable = RolloutShape.ResolveMaxUnavailable(spec, scope.Count);
        var slots = maxUnavailable - busy;
        var reverts = upgraded.Where(n => n.Ready && !RolloutPlanner.Assigned(view, n, label)).Take(Math.Max(0, slots))
            .Select(n => Assign(view, n, label)).ToList();
        var message = $"{halt.Message}; onfailurebudget is revert: {upgraded.Count} node(s) upgraded by this OS are rolled back, " +
                      $"{maxUnavailable} at a time";
        return halt with { Assignments = reverts, Message = message };
    }

    public static bool UpgradedBy(OS os, NodeView node, OSInstance? osi) =>
        osi?.Status is { Phase: NodePhases.Succeeded, Operation: { } op } &&
        op.OpsType == WellKnown.OpsTypes.Upgrade && op.TargetVersion == os.Spec?.OSVersion && node.OsImage == os.Spec?.OSVersion &&
        op.FromVersion is { Length: > 0 } from && from != os.Spec?.OSVersion &&
        op.OS?.Name == os.Metadata?.Name && (op.OS?.Namespace ?? "default") == (os.Metadata?.Namespace ?? "default");

    private static NodeAssignment Assign(ClusterView view, NodeView node, string label)
    {
        var osi = view.InstanceOf(node.Name)!;
        var spec = AssignmentBuilder.Build(view.Target, osi);
        spec.Revert = new RevertRequest { FromVersion = view.Target.Spec!.OSVersion, ToVersion = osi.Status!.Operation!.FromVersion };
        return new NodeAssignment(node.Name, spec, label);
    }
}
