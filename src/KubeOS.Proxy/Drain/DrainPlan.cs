using k8s.Models;

namespace KubeOS.Proxy.Drain;

/// <summary>What a drain does with the pods on a node: evict, skip (with why) or stop on (with the fix).</summary>
public sealed record DrainPlan(IReadOnlyList<V1Pod> ToEvict, IReadOnlyList<SkippedPod> Skipped, IReadOnlyList<DrainBlocker> Blockers)
{
    /// <summary>The drain may start only when no pod blocks it (KubeOS fails the whole drain on the first filter error).</summary>
    public bool CanProceed => Blockers.Count == 0;

    /// <summary>One line per blocker, for the node's status message.</summary>
    public string Describe() => string.Join("; ", Blockers.Select(b => $"{PodName.Of(b.Pod)}: {b.Reason} ({b.Fix})"));
}

public sealed record SkippedPod(V1Pod Pod, string Reason);

public sealed record DrainBlocker(V1Pod Pod, string Reason, string Fix);

public static class PodName
{
    /// <summary><c>namespace/name</c>, as kubectl names pods.</summary>
    public static string Of(V1Pod pod) => $"{pod.Metadata?.NamespaceProperty ?? "default"}/{pod.Metadata?.Name}";
}
