using KubeOS.Api.Models;

namespace KubeOS.Operator.Rollout;

/// <summary>
/// What the operator reads of one node. Mapped from a Kubernetes Node at the edge so the decision functions stay free
/// of client types and can be tested without a cluster.
/// </summary>
public sealed record NodeView(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    string? OsImage,
    bool Unschedulable = false,
    bool Ready = true)
{
    public bool HasLabel(string key) => Labels.ContainsKey(key);
}

/// <summary>Everything one reconcile of one OS object decides from: observed cluster state and the clock.</summary>
public sealed record ClusterView(
    OS Target,
    IReadOnlyList<OS> AllOS,
    IReadOnlyList<NodeView> Nodes,
    IReadOnlyDictionary<string, OSInstance> Instances,
    DateTimeOffset Now,
    TimeZoneInfo? TimeZone = null,
    IReadOnlySet<string>? FailedNodes = null,
    IReadOnlySet<string>? SkippedNodes = null)
{
    /// <summary>
    /// Nodes handed back on their version by spec.drain.escalation.action skip; also in <see cref="Failed"/> (never
    /// reassigned for this target) but counted as skipped, not failed.
    /// </summary>
    public IReadOnlySet<string> Skipped => SkippedNodes ?? EmptySet;

    /// <summary>Nodes whose last attempt at this OS's target failed; they are not assigned again until it changes.</summary>
    public IReadOnlySet<string> Failed => FailedNodes ?? EmptySet;

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    /// <summary>KubeOS evaluates time windows in the operator's local time zone.</summary>
    public TimeZoneInfo Zone => TimeZone ?? TimeZoneInfo.Local;

    public OSInstance? InstanceOf(string node) => Instances.TryGetValue(node, out var osi) ? osi : null;
}
