using KubeOS.Api.Models;
using KubeOS.Operator.Cluster;

namespace KubeOS.Operator.Reconcile;

/// <summary>OSInstances whose Node is gone are deleted (kubeos.md §3.1.6); a re-registered node gets a fresh one from its proxy.</summary>
public static class OrphanInstances
{
    public static IReadOnlyList<OSInstance> Of(ClusterSnapshot snapshot) =>
        snapshot.Instances.Values
            .Where(osi => osi.Metadata?.DeletionTimestamp is null && !snapshot.NodeNames.Contains(NodeViews.NodeOf(osi)))
            .OrderBy(osi => osi.Metadata?.Name, StringComparer.Ordinal)
            .ToList();
}
