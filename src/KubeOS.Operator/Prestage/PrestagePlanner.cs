using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;

namespace KubeOS.Operator.Prestage;

/// <summary>A node to ask to pre-stage: its OSInstance gets spec.prestage = <see cref="Request"/>.</summary>
public sealed record PrestageMark(string Node, PrestageRequest Request);

/// <summary>
/// spec.prestage (not in KubeOS): before the first cordon, every targeted node fetches and verifies the image onto its
/// inactive partition, at most maxconcurrent at once. Pure, like the planner it sits in: from the view, whether the
/// rollout must hold for staging and which nodes to ask next. A node whose staging failed does not hold the rollout
/// (its own upgrade prepares again before it is cordoned, and fails there if the image is bad).
/// </summary>
public static class PrestagePlanner
{
    /// <summary>Null when pre-staging is off, not an upgrade, or every targeted node has staged (or failed to).</summary>
    public static RolloutDecision? Hold(ClusterView view, IReadOnlyList<NodeView> scope, RolloutCounts counts, TimeSpan requeue)
    {
        var os = view.Target;
        var spec = os.Spec ?? new OSSpec();
        if (spec.Prestage is not { Enabled: true } prestage || spec.OpsType != WellKnown.OpsTypes.Upgrade) return null;
        var request = RequestOf(os);
        var label = NodeScope.OperationLabel(spec.OpsType);

        var targets = scope.Where(n => n.Ready && !view.Failed.Contains(n.Name) && view.InstanceOf(n.Name) is { } osi &&
                                       !Assigned(n, osi, label) && NodeScope.NeedsOperation(os, n, osi))
            .OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        int staged = 0, failed = 0;
        var inFlight = new List<string>();
        var waiting = new List<string>();
        foreach (var node in targets)
        {
            var osi = view.InstanceOf(node.Name)!;
            var state = osi.Status?.Prestage is { } done && done.IsFor(request) ? done.State : null;
            if (state == PrestageStates.Staged) staged++;
            else if (state == PrestageStates.Failed) failed++;
            else if (osi.Spec?.Prestage is { } asked && Same(asked, request)) inFlight.Add(node.Name);
            else waiting.Add(node.Name);
        }
        if (inFlight.Count == 0 && waiting.Count == 0) return null;

        var max = Math.Max(1, prestage.MaxConcurrent ?? PrestageSpec.DefaultMaxConcurrent);
        var marks = waiting.Take(Math.Max(0, max - inFlight.Count)).Select(n => new PrestageMark(n, RequestOf(os))).ToList();
        var message = $"pre-staging {spec.OSVersion}: {staged} of {targets.Count} node(s) staged, {inFlight.Count + marks.Count} staging " +
                      $"(at most {max} at once)" + (failed > 0 ? $", {failed} failed to stage" : "") +
                      "; no node is cordoned before every targeted node holds the image";
        return RolloutDecision.Blocked(RolloutBlock.Prestaging, message, requeue, counts) with { Prestage = marks };
    }

    public static PrestageRequest RequestOf(OS os) => new()
    {
        OS = new NamespacedName { Name = os.Metadata?.Name, Namespace = os.Metadata?.Namespace ?? "default" },
        OSVersion = os.Spec?.OSVersion,
        Checksum = os.Spec?.Checksum,
    };

    private static bool Same(PrestageRequest a, PrestageRequest b) =>
        a.OS?.Name == b.OS?.Name && (a.OS?.Namespace ?? "default") == (b.OS?.Namespace ?? "default") &&
        a.OSVersion == b.OSVersion && string.Equals(a.Checksum ?? "", b.Checksum ?? "", StringComparison.OrdinalIgnoreCase);

    private static bool Assigned(NodeView node, OSInstance osi, string label) =>
        node.HasLabel(label) || osi.Spec?.NodeStatus is { } s && s != WellKnown.NodeStatuses.Idle;
}
