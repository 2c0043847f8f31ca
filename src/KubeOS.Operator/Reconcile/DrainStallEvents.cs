using KubeOS.Api.Models;
using KubeOS.Operator.Cluster;

namespace KubeOS.Operator.Reconcile;

/// <summary>
/// Turns a proxy's DrainStalled condition (spec.drain.escalation.warnafter passed) into one Warning event on the owning
/// OS and one on the Node: the proxies hold no right to create events, the operator does. Each stall is reported once per operator run,
/// keyed by node and the condition's transition time.
/// </summary>
public sealed class DrainStallEvents
{
    private readonly HashSet<(string Node, DateTimeOffset? Since)> _reported = [];

    /// <summary>The stalls of nodes owned by <paramref name="os"/> not reported yet: (node, message).</summary>
    public IReadOnlyList<(string Node, string Message)> Due(OS os, ClusterSnapshot snapshot)
    {
        var due = new List<(string, string)>();
        foreach (var (node, osi) in snapshot.Instances)
        {
            var owner = osi.Spec?.NamespacedName;
            if (owner?.Name != os.Metadata?.Name || (owner?.Namespace ?? "default") != (os.Metadata?.Namespace ?? "default")) continue;
            if (osi.Status?.Conditions?.FirstOrDefault(c => c.Type == NodeConditionTypes.DrainStalled) is not { Status: ConditionStatuses.True } stalled) continue;
            if (_reported.Add((node, stalled.LastTransitionTime))) due.Add((node, $"node {node}: {stalled.Message}"));
        }
        return due;
    }
}
