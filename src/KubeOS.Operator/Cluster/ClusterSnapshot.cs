using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;

namespace KubeOS.Operator.Cluster;

/// <summary>
/// One consistent-enough read of everything a reconcile pass decides from. Taken fresh for every pass and again after
/// the pass's own writes, so no decision is ever made on state the operator itself has since changed.
/// </summary>
public sealed record ClusterSnapshot(
    IReadOnlyList<OS> AllOS,
    IReadOnlyList<NodeView> Nodes,
    IReadOnlyDictionary<string, OSInstance> Instances)
{
    public IReadOnlySet<string> NodeNames { get; } = Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
}

/// <summary>Maps a Kubernetes Node to what the planner reads of it.</summary>
public static class NodeViews
{
    public static NodeView From(V1Node node) => new(
        node.Metadata.Name,
        new Dictionary<string, string>(node.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        node.Status?.NodeInfo?.OsImage,
        node.Spec?.Unschedulable ?? false,
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True");

    /// <summary>Equal in everything the planner reads.</summary>
    public static bool SameInputs(NodeView a, NodeView b) =>
        a.Name == b.Name && a.OsImage == b.OsImage && a.Unschedulable == b.Unschedulable && a.Ready == b.Ready &&
        a.Labels.Count == b.Labels.Count && a.Labels.All(l => b.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

    /// <summary>The node an OSInstance belongs to: its osinstance-node label (what KubeOS deletes by), else its name.</summary>
    public static string NodeOf(OSInstance osi) =>
        osi.Metadata?.Labels?.GetValueOrDefault(WellKnown.Labels.OSInstanceNode) is { Length: > 0 } node ? node : osi.Metadata?.Name ?? "";
}
