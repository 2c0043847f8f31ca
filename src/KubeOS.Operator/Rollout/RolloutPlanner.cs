using KubeOS.Api;
using KubeOS.Api.Models;

namespace KubeOS.Operator.Rollout;

/// <summary>
/// The operator's decision function: given one OS object and what the cluster looks like, which nodes to assign now
/// and when to look again. Pure: no I/O, no clock of its own, so every rule is unit-tested without a cluster and a
/// restarted operator decides the same from the same cluster state.
/// </summary>
/// <remarks>
/// Behaves as KubeOS (kubeos.md §3.1) with these deliberate differences:
/// candidates are taken in stable name order from all nodes rather than from a random window of limit+1, so rounds
/// are never under-filled and serial order is predictable; a node counts as in operation when it carries the
/// operation label *or* its OSInstance is not idle (the two are written separately, so a crash between the writes
/// must not free a slot) *or*, for upgrade and rollback, it is cordoned or not Ready (it is unavailable either way);
/// a node cordoned by hand that still needs the operation is taken first and at no extra cost — it already counts as
/// unavailable, so upgrading it does not take another node out of service (it stays cordoned afterwards); nodes
/// whose attempt failed are not reassigned; config is not assigned to a node on another OS version, and nothing is
/// assigned to a node that is not Ready (its proxy could not act). Two optional spec fields go beyond KubeOS and
/// change nothing when absent: <c>paused</c> and <c>maxfailures</c> stop new assignments (work in flight finishes).
/// The rollout shape (a percentage maxunavailable, topologylimit, stages) is applied by <see cref="RolloutShape"/>.
/// </remarks>
public static class RolloutPlanner
{
    /// <summary>KubeOS's fixed requeue for "wait and look again" (outside window, serial node busy).</summary>
    public static readonly TimeSpan ShortRequeue = TimeSpan.FromSeconds(15);

    public static RolloutDecision Decide(ClusterView view)
    {
        var os = view.Target;
        var spec = os.Spec ?? new OSSpec();
        var opsType = spec.OpsType ?? "";
        var interval = TimeSpan.FromSeconds(Math.Max(0, spec.TimeInterval ?? WellKnown.Defaults.TimeIntervalSeconds));

        var scope = view.Nodes.Where(n => NodeScope.InScope(os, n)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var counts = Count(view, scope);

        if (!WellKnown.OpsTypes.All.Contains(opsType))
            return RolloutDecision.Blocked(RolloutBlock.UnknownOpsType,
                $"spec.opstype \"{opsType}\" is not one of upgrade, config, rollback", ShortRequeue, counts);

        var selector = NodeScope.SelectorOf(os);
        var rival = view.AllOS.FirstOrDefault(o => !SameObject(o, os) && NodeScope.SelectorOf(o) == selector);
        if (rival is not null)
            return RolloutDecision.Blocked(RolloutBlock.SelectorConflict,
                $"OS {rival.Metadata?.Namespace}/{rival.Metadata?.Name} uses the same nodeselector \"{selector}\"; " +
                "give each OS object its own node group", ShortRequeue, counts);

        var window = TimeWindowGate.Evaluate(spec.TimeWindow, view.Now, view.Zone);
        if (window.Error is not null)
            return RolloutDecision.Blocked(RolloutBlock.InvalidTimeWindow, window.Error, ShortRequeue, counts);
        var halt = FailureBudget(view, scope, spec, counts) ?? PauseGate(spec, counts);
        if (halt is not null) return Revert.RevertPlanner.WithReverts(view, scope, halt);
        if (Prestage.PrestagePlanner.Hold(view, scope, counts, ShortRequeue) is { } staging) return staging;
        if (!window.Open)
            return RolloutDecision.Blocked(RolloutBlock.OutsideTimeWindow,
                $"outside the time window ({window.Description}); new nodes start when it opens", ShortRequeue, counts);

        var mode = spec.ExecutionMode ?? WellKnown.Defaults.ExecutionMode;
        return mode switch
        {
            WellKnown.ExecutionModes.Parallel => Parallel(view, scope, counts, interval),
            WellKnown.ExecutionModes.Serial => Serial(view, scope, counts, interval),
            _ => RolloutDecision.Blocked(RolloutBlock.UnknownExecutionMode,
                $"spec.executionmode \"{mode}\" is not serial or parallel", ShortRequeue, counts),
        };
    }

    /// <summary>
    /// spec.maxfailures (not in KubeOS): once that many selected nodes failed this target, stop taking new nodes so a
    /// bad image does not spread; nodes already in an operation finish. Absent means no limit, as in KubeOS.
    /// </summary>
    private static RolloutDecision? FailureBudget(ClusterView view, List<NodeView> scope, OSSpec spec, RolloutCounts counts)
    {
        if (spec.MaxFailures is not { } budget || counts.Failed < budget) return null;
        var label = NodeScope.OperationLabel(spec.OpsType ?? "");
        var failed = scope.Where(n => view.Failed.Contains(n.Name) && view.InstanceOf(n.Name) is not null && !Assigned(view, n, label))
            .Select(n => n.Name);
        return RolloutDecision.Blocked(RolloutBlock.FailureBudgetExhausted,
            $"rollout halted: {counts.Failed} node(s) failed this target, reaching spec.maxfailures {budget} " +
            $"({string.Join(", ", failed)}); fix or roll back those nodes, or raise maxfailures, to continue",
            ShortRequeue, counts);
    }

    /// <summary>spec.paused (not in KubeOS): hold new assignments; work in flight is left to finish.</summary>
    private static RolloutDecision? PauseGate(OSSpec spec, RolloutCounts counts) =>
        spec.Paused == true
            ? RolloutDecision.Blocked(RolloutBlock.Paused,
                $"paused by spec.paused; {counts.InOperation} node(s) in operation finish, {counts.Pending} pending wait; " +
                "set paused: false to resume", ShortRequeue, counts)
            : null;

    /// <summary>Rolling slot refill: keep up to maxunavailable selected nodes in operation.</summary>
    private static RolloutDecision Parallel(ClusterView view, List<NodeView> scope, RolloutCounts counts, TimeSpan interval)
    {
        var os = view.Target;
        var label = NodeScope.OperationLabel(os.Spec!.OpsType!);
        var busy = scope.Count(n => InOperation(view, n, label));
        var shape = RolloutShape.Of(view, scope, n => InOperation(view, n, label), n => Assigned(view, n, label));
        var limit = shape.MaxUnavailable - busy;

        var assignments = new List<NodeAssignment>();
        var taken = 0;
        // Already out of service (cordoned by hand): assigning it costs no slot, so it goes first.
        foreach (var node in Candidates(view, scope, label).OrderBy(n => Unavailable(view, n) ? 0 : 1))
        {
            var free = Unavailable(view, node);
            if (!free && taken >= limit) break;
            if (!shape.TryTake(node, free)) continue;
            assignments.Add(Assign(view, node, label));
            if (!free) taken++;
        }
        return new(RolloutBlock.None, null, assignments, [], shape.Requeue(interval, view.Now), counts);
    }

    /// <summary>
    /// Batches of maxunavailable nodes (marked with the serial label), one node at a time inside a batch; a batch is
    /// released when none of its nodes needs the operation any more.
    /// </summary>
    private static RolloutDecision Serial(ClusterView view, List<NodeView> scope, RolloutCounts counts, TimeSpan interval)
    {
        var os = view.Target;
        var label = NodeScope.OperationLabel(os.Spec!.OpsType!);
        // One node at a time: wait while any node is assigned (a hand cordon alone does not hold the batch up).
        if (scope.Any(n => Assigned(view, n, label)))
            return new(RolloutBlock.None, null, [], [], ShortRequeue, counts);

        var batch = scope.Where(n => n.HasLabel(WellKnown.Labels.Serial)).ToList();
        var labelChanges = new List<LabelChange>();
        var shape = RolloutShape.Of(view, scope, n => InOperation(view, n, label), n => Assigned(view, n, label));
        var slots = shape.MaxUnavailable - batch.Count;
        foreach (var node in Candidates(view, scope, label).Where(n => !n.HasLabel(WellKnown.Labels.Serial)).Take(Math.Max(0, slots)))
        {
            if (!shape.TryTake(node, alreadyOut: true)) break;
            labelChanges.Add(new(node.Name, WellKnown.Labels.Serial, Add: true));
            batch.Add(node);
        }

        var next = Candidates(view, batch, label).FirstOrDefault(n => labelChanges.Any(c => c.Node == n.Name) || shape.Allowance > 0);
        if (next is not null)
            return new(RolloutBlock.None, null, [Assign(view, next, label)], labelChanges, ShortRequeue, counts);

        // Nothing in the batch needs work: release it so the next batch can form.
        labelChanges.AddRange(batch.Where(n => n.HasLabel(WellKnown.Labels.Serial))
            .Select(n => new LabelChange(n.Name, WellKnown.Labels.Serial, Add: false)));
        return new(RolloutBlock.None, null, [], labelChanges, interval, counts);
    }

    /// <summary>Nodes that may be assigned now, in stable order.</summary>
    private static IEnumerable<NodeView> Candidates(ClusterView view, IEnumerable<NodeView> nodes, string label) =>
        nodes.OrderBy(n => n.Name, StringComparer.Ordinal).Where(n =>
            !Assigned(view, n, label) &&
            n.Ready &&
            !view.Failed.Contains(n.Name) &&
            view.InstanceOf(n.Name) is { } osi &&
            NodeScope.NeedsOperation(view.Target, n, osi));

    private static NodeAssignment Assign(ClusterView view, NodeView node, string label) =>
        new(node.Name, AssignmentBuilder.Build(view.Target, view.InstanceOf(node.Name)!), label);

    /// <summary>Counts against maxunavailable; see the remarks on the class for why each signal counts.</summary>
    internal static bool InOperation(ClusterView view, NodeView node, string label) =>
        Assigned(view, node, label) || Unavailable(view, node);

    /// <summary>Carries the operation label, or its OSInstance is not idle (the two are separate writes).</summary>
    internal static bool Assigned(ClusterView view, NodeView node, string label)
    {
        if (node.HasLabel(label)) return true;
        var status = view.InstanceOf(node.Name)?.Spec?.NodeStatus;
        return status is not null && status != WellKnown.NodeStatuses.Idle;
    }

    /// <summary>Out of service already (cordoned or not Ready); only upgrade and rollback take nodes out of service.</summary>
    private static bool Unavailable(ClusterView view, NodeView node) =>
        view.Target.Spec?.OpsType != WellKnown.OpsTypes.Config && (node.Unschedulable || !node.Ready) &&
        !HeldAfterHealthGate(view, node);

    /// <summary>
    /// A node the health gate rolled back stays cordoned for inspection; it is counted by the failure budget
    /// (spec.maxfailures), not by maxunavailable, or one bad node would stall the rollout before the budget decides.
    /// </summary>
    private static bool HeldAfterHealthGate(ClusterView view, NodeView node) =>
        node.Ready && view.Failed.Contains(node.Name) &&
        NodeFailureReasons.HoldsNodeCordoned(view.InstanceOf(node.Name)?.Status?.Operation?.FailureReason);

    private static RolloutCounts Count(ClusterView view, List<NodeView> scope)
    {
        var os = view.Target;
        var known = WellKnown.OpsTypes.All.Contains(os.Spec?.OpsType ?? "");
        var label = NodeScope.OperationLabel(os.Spec?.OpsType ?? "");
        int done = 0, inOperation = 0, pending = 0, failed = 0, skipped = 0, withoutInstance = 0;
        foreach (var node in scope)
        {
            var osi = view.InstanceOf(node.Name);
            if (osi is null) withoutInstance++;
            else if (node.HasLabel(label) || osi.Spec?.NodeStatus is { } s && s != WellKnown.NodeStatuses.Idle) inOperation++;
            else if (view.Skipped.Contains(node.Name)) skipped++;
            else if (view.Failed.Contains(node.Name)) failed++;
            else if (known && NodeScope.NeedsOperation(os, node, osi)) pending++;
            else if (NodeScope.VersionMismatchForConfig(os, node)) skipped++;
            else done++;
        }
        return new(scope.Count, done, inOperation, pending, failed, skipped, withoutInstance);
    }

    private static bool SameObject(OS a, OS b) =>
        a.Metadata?.Name == b.Metadata?.Name && (a.Metadata?.Namespace ?? "default") == (b.Metadata?.Namespace ?? "default");
}
