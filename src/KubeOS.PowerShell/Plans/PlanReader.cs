using KubeOS.Client.Selectors;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Planning;
using KubeOS.Client;
using KubeOS.PowerShell.Rollouts;

namespace KubeOS.PowerShell.Plans;

/// <summary>
/// Reads what a plan needs from the cluster — the nodes an OS selects with their state (as Get-KubeOSUpgrade reads
/// them), their OSInstances' history, the pods and PodDisruptionBudgets — and forecasts with <see cref="UpgradePlanner"/>.
/// Reads only; works for an OS object that is not written yet (Start-KubeOSUpgrade -WhatIf).
/// </summary>
internal static class PlanReader
{
    public static async Task<UpgradePlan> PlanAsync(KubeOSCluster cluster, OS os, DateTimeOffset now, CancellationToken ct)
    {
        var state = await RolloutReader.ReadClusterAsync(cluster, ct).ConfigureAwait(false);
        var pods = await cluster.Client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
        var budgets = await cluster.Client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
        return Plan(os, state, pods.Items ?? [], budgets.Items ?? [], now);
    }

    public static UpgradePlan Plan(OS os, RolloutReader.Cluster state, IEnumerable<V1Pod> pods, IEnumerable<V1PodDisruptionBudget> budgets, DateTimeOffset now)
    {
        var rollout = RolloutReader.Describe(os, state);
        var nodes = state.Nodes.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        var instances = state.Instances.Where(i => i.Metadata?.Name is not null).GroupBy(i => i.Metadata!.Name!).ToDictionary(g => g.Key, g => g.First());
        var upgradeLike = os.Spec?.OpsType != WellKnown.OpsTypes.Config;
        var planNodes = rollout.Nodes.Select(n =>
        {
            var node = nodes[n.Name];
            var osi = instances.GetValueOrDefault(n.Name);
            var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";
            return new PlanNode(n.Name, new Dictionary<string, string>(node.Metadata.Labels ?? new Dictionary<string, string>()), StateOf(n.State),
                upgradeLike && (node.Spec?.Unschedulable == true || !ready),
                n.State == RolloutStates.InOperation || osi is not null && Touched(os, osi),
                osi?.Status is { Phase: NodePhases.Succeeded or NodePhases.Failed, Operation.PhaseStartedAt: { } at } ? at : null);
        }).ToList();
        var history = state.Instances.SelectMany(i => i.Status?.History ?? []);
        return UpgradePlanner.Plan(os, planNodes, DurationEstimate.From(history, os.Spec?.OpsType), now, Budgets(pods.ToList(), budgets));
    }

    private static PlanNodeState StateOf(string state) => state switch
    {
        RolloutStates.Done => PlanNodeState.Done,
        RolloutStates.InOperation => PlanNodeState.InOperation,
        RolloutStates.Failed => PlanNodeState.Failed,
        RolloutStates.Skipped => PlanNodeState.Skipped,
        _ => PlanNodeState.Pending,
    };

    /// <summary>The OSInstance records an operation towards this OS's target.</summary>
    private static bool Touched(OS os, OSInstance osi) =>
        osi.Status?.Operation is { } op && op.OS?.Name == os.Metadata?.Name &&
        (op.OS?.Namespace ?? "default") == (os.Metadata?.Namespace ?? "default") &&
        op.OpsType == os.Spec?.OpsType && op.TargetVersion == os.Spec?.OSVersion;

    /// <summary>Running pods on a node, per budget that selects them (same namespace, label selector).</summary>
    private static List<PlanBudget> Budgets(List<V1Pod> pods, IEnumerable<V1PodDisruptionBudget> budgets) =>
        budgets.Select(b => new PlanBudget(b.Metadata?.NamespaceProperty ?? "default", b.Metadata?.Name ?? "", b.Status?.DisruptionsAllowed ?? 0,
            pods.Where(p => p.Spec?.NodeName is { Length: > 0 } && p.Status?.Phase is not ("Succeeded" or "Failed") &&
                            (p.Metadata?.NamespaceProperty ?? "default") == (b.Metadata?.NamespaceProperty ?? "default") &&
                            LabelSelectorMatcher.Matches(b.Spec?.Selector, p.Metadata?.Labels))
                .Select(p => new PlanPod(p.Metadata!.NamespaceProperty ?? "default", p.Metadata.Name, p.Spec!.NodeName)).ToList()))
            .ToList();
}
