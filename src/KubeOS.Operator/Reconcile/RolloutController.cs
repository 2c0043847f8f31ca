using System.Text.Json.Nodes;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Operator.Cluster;
using KubeOS.Operator.Metrics;
using KubeOS.Operator.Rollout;
using KubeOS.Operator.Status;
using Microsoft.Extensions.Logging;

namespace KubeOS.Operator.Reconcile;

/// <summary>
/// One reconcile pass over every OS object: decide with <see cref="RolloutPlanner"/> on the watch-fed copy, write.
/// Before any write to nodes or OSInstances the cluster is read afresh and the decision made again on that read:
/// the copies of different kinds may lag each other by a few events (a finished node's new osImage behind its idle
/// OSInstance), and writes are rare enough to afford a fresh read. The pass ends after the first OS whose decision
/// changed nodes; the next waits until the copy shows those writes.
/// </summary>
public sealed class RolloutController(
    OperatorGateway cluster, ClusterCache cache, TimeProvider clock, TimeZoneInfo zone, TimeSpan resync, OperatorActivity activity, ILogger log,
    OperatorMetrics? metrics = null)
{
    private static readonly TimeSpan CopyBehind = TimeSpan.FromMilliseconds(200);
    private readonly AssignmentPacer _pacer = new();
    private readonly DrainStallEvents _stalls = new();

    /// <summary>Runs one pass and returns how long until the next is due (zero: observe again at once).</summary>
    public async Task<TimeSpan> ReconcileOnceAsync(CancellationToken ct)
    {
        activity.Pass();
        var snapshot = await cache.ObserveAsync(ct).ConfigureAwait(false);
        metrics?.ObserveNodes(snapshot);
        if (OrphanInstances.Of(snapshot).Count > 0) await DeleteOrphansAsync(ct).ConfigureAwait(false);

        var live = snapshot.AllOS.Where(o => o.Metadata?.DeletionTimestamp is null).ToList();
        _pacer.Forget(live);
        var wait = resync;
        foreach (var os in live)
        {
            var now = clock.GetUtcNow();
            var decision = Decide(os, snapshot, now);
            metrics?.ObserveRollout(os, decision, snapshot);
            await WriteStatusAsync(os, decision, now, ct, PlanSummary.Build(View(os, snapshot, now))).ConfigureAwait(false);
            foreach (var (node, message) in _stalls.Due(os, snapshot))
            {
                log.LogWarning("OS {Namespace}/{Name}: {Message}", os.Metadata?.Namespace, os.Metadata?.Name, message);
                await cluster.RecordEventAsync(os, "Warning", "DrainStalled", message, now, ct).ConfigureAwait(false);
                await cluster.RecordNodeEventAsync(node, "Warning", "DrainStalled", message, now, ct).ConfigureAwait(false);
            }

            var interrupted = InterruptedAssignments.Of(os, snapshot).Count > 0;
            var changesNodes = decision.ChangesNodes;
            var dueAt = _pacer.DueAt(os);
            if (changesNodes && !interrupted && now < dueAt)
            {
                wait = Min(wait, dueAt - now);
                continue;
            }
            if (!changesNodes && !interrupted)
            {
                wait = Min(wait, decision.RequeueAfter);
                continue;
            }

            var fresh = await cluster.ObserveAsync(ct).ConfigureAwait(false);
            if (fresh.AllOS.FirstOrDefault(o => o.Metadata?.Uid == os.Metadata?.Uid) is not { } current) return TimeSpan.Zero;
            if (InterruptedAssignments.Of(current, fresh) is { Count: > 0 } cutShort)
            {
                await ResumeAsync(current, cutShort, now, ct).ConfigureAwait(false);
                return TimeSpan.Zero;
            }
            decision = Decide(current, fresh, now);
            if (!decision.ChangesNodes)
                return CopyBehind; // the copy had not caught up with others' writes yet; its next events wake the loop
            await ApplyAsync(current, decision, fresh, now, ct).ConfigureAwait(false);
            if (decision.Assignments.Count > 0) _pacer.Assigned(current, now, RoundGap(current));
            return TimeSpan.Zero;
        }
        return wait;
    }

    private RolloutDecision Decide(OS os, ClusterSnapshot snapshot, DateTimeOffset now) => RolloutPlanner.Decide(View(os, snapshot, now));

    private ClusterView View(OS os, ClusterSnapshot snapshot, DateTimeOffset now) =>
        new(os, snapshot.AllOS, snapshot.Nodes, snapshot.Instances, now, zone,
            NodeProgressReader.FailedNodes(os, snapshot.Instances.Values), NodeProgressReader.SkippedNodes(os, snapshot.Instances.Values));

    /// <summary>Confirmed on a fresh read: a newly registered node's OSInstance may reach the copy before the Node does.</summary>
    private async Task DeleteOrphansAsync(CancellationToken ct)
    {
        foreach (var orphan in OrphanInstances.Of(await cluster.ObserveAsync(ct).ConfigureAwait(false)))
        {
            if (!await cluster.DeleteInstanceAsync(orphan, ct).ConfigureAwait(false)) continue;
            log.LogInformation("Deleted OSInstance {Instance}: node {Node} no longer exists", orphan.Metadata?.Name, NodeViews.NodeOf(orphan));
            activity.Deleted();
        }
    }

    /// <summary>KubeOS's order per node: the OSInstance spec first, then the operation label the proxy acts on.</summary>
    private async Task ApplyAsync(OS os, RolloutDecision decision, ClusterSnapshot snapshot, DateTimeOffset now, CancellationToken ct)
    {
        var name = $"{os.Metadata?.Namespace}/{os.Metadata?.Name}";
        foreach (var change in decision.LabelChanges.Where(c => c.Add))
            cache.WroteNode(await cluster.PatchNodeLabelsAsync(change.Node, new Dictionary<string, string?> { [change.Label] = "" }, ct).ConfigureAwait(false));

        foreach (var mark in decision.Prestage)
        {
            cache.WroteInstance(await cluster.ReplaceInstanceSpecAsync(snapshot.Instances[mark.Node],
                Prestage.PrestageWrites.SpecWith(snapshot.Instances[mark.Node], mark.Request), ct).ConfigureAwait(false));
            log.LogInformation("OS {OS}: node {Node} pre-stages {Version}", name, mark.Node, mark.Request.OSVersion);
        }

        foreach (var assignment in decision.Assignments)
        {
            try
            {
                cache.WroteInstance(await cluster.ReplaceInstanceSpecAsync(snapshot.Instances[assignment.Node], assignment.Spec, ct).ConfigureAwait(false));
            }
            catch (StaleObservationException)
            {
                activity.Conflict();
                throw;
            }
            cache.WroteNode(await cluster.PatchNodeLabelsAsync(assignment.Node, new Dictionary<string, string?> { [assignment.OperationLabel] = "" }, ct).ConfigureAwait(false));
            activity.Assigned();
            log.LogInformation("OS {OS}: assigned {OpsType} to node {Node} ({InOperation} in operation, {Pending} pending)",
                name, os.Spec?.OpsType, assignment.Node, decision.Counts.InOperation, decision.Counts.Pending);
            await cluster.RecordEventAsync(os, "Normal", assignment.Spec.Revert is { } revert ? "Reverting" : "Assigned",
                assignment.Spec.Revert is { } r ? $"node {assignment.Node}: rollback from {r.FromVersion} to {r.ToVersion} (onfailurebudget revert)"
                    : $"node {assignment.Node}: {os.Spec?.OpsType} to {os.Spec?.OSVersion}", now, ct).ConfigureAwait(false);
        }

        foreach (var change in decision.LabelChanges.Where(c => !c.Add))
            cache.WroteNode(await cluster.PatchNodeLabelsAsync(change.Node, new Dictionary<string, string?> { [change.Label] = null }, ct).ConfigureAwait(false));
        if (decision.LabelChanges.Any(c => !c.Add))
            log.LogInformation("OS {OS}: serial batch done, released {Nodes}", name, string.Join(",", decision.LabelChanges.Where(c => !c.Add).Select(c => c.Node)));
    }

    private async Task ResumeAsync(OS os, IReadOnlyList<string> nodes, DateTimeOffset now, CancellationToken ct)
    {
        var label = NodeScope.OperationLabel(os.Spec!.OpsType!);
        foreach (var node in nodes)
        {
            cache.WroteNode(await cluster.PatchNodeLabelsAsync(node, new Dictionary<string, string?> { [label] = "" }, ct).ConfigureAwait(false));
            log.LogInformation("OS {Namespace}/{Name}: node {Node} was assigned but not labelled; label added", os.Metadata?.Namespace, os.Metadata?.Name, node);
            await cluster.RecordEventAsync(os, "Normal", "Resumed", $"node {node}: finished an interrupted assignment (label {label} added)", now, ct).ConfigureAwait(false);
        }
    }

    private async Task WriteStatusAsync(OS os, RolloutDecision decision, DateTimeOffset now, CancellationToken ct, JsonObject? plan = null)
    {
        var previous = os.Status is null ? null : ManifestSerializer.ToNode(os.Status) as JsonObject;
        var next = WithoutNulls(OSStatusBuilder.Build(os, decision, previous, now));
        if (plan is not null) next["plan"] = WithoutNulls(plan);
        if (previous is not null && JsonNode.DeepEquals(Comparable(previous, next), next)) return;
        cache.WroteOS(await cluster.PatchStatusAsync(os, next, ct).ConfigureAwait(false));

        var wasBlocked = OSStatusBuilder.IsTrue(previous, OSStatusBuilder.Blocked);
        if (decision.Block is not (RolloutBlock.None or RolloutBlock.Prestaging) && (!wasBlocked ||
            (string?)OSStatusBuilder.ConditionOf(previous, OSStatusBuilder.Blocked)?["reason"] != decision.Block.ToString()))
        {
            log.LogWarning("OS {Namespace}/{Name} blocked ({Block}): {Message}", os.Metadata?.Namespace, os.Metadata?.Name, decision.Block, decision.Message);
            await cluster.RecordEventAsync(os, "Warning", decision.Block.ToString(), decision.Message ?? "", now, ct).ConfigureAwait(false);
        }
        if (OSStatusBuilder.IsTrue(next, OSStatusBuilder.Succeeded) && !OSStatusBuilder.IsTrue(previous, OSStatusBuilder.Succeeded))
            await cluster.RecordEventAsync(os, "Normal", "Succeeded", (string?)OSStatusBuilder.ConditionOf(next, OSStatusBuilder.Succeeded)?["message"] ?? "", now, ct).ConfigureAwait(false);
    }

    /// <summary>Only the fields the operator owns are compared; anything else in status (a later version's) is left alone.</summary>
    private static JsonObject Comparable(JsonObject previous, JsonObject next)
    {
        var result = new JsonObject();
        foreach (var (key, _) in next)
            if (previous[key] is { } value) result[key] = value.DeepClone();
        return result;
    }

    private static JsonObject WithoutNulls(JsonObject o)
    {
        foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList()) o.Remove(key);
        foreach (var c in (o["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [])
            foreach (var key in c.Where(p => p.Value is null).Select(p => p.Key).ToList()) c.Remove(key);
        return o;
    }

    /// <summary>spec.timeinterval: KubeOS's seconds between assignment rounds.</summary>
    private static TimeSpan RoundGap(OS os) =>
        TimeSpan.FromSeconds(Math.Max(0, os.Spec?.TimeInterval ?? KubeOS.Api.WellKnown.Defaults.TimeIntervalSeconds));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
