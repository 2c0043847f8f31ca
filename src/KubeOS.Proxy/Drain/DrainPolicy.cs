using KubeOS.Api.Models;

namespace KubeOS.Proxy.Drain;

/// <summary>
/// What a drain does with each kind of pod, and when it gives up. Without <c>spec.drain</c> it is KubeOS's single
/// switch: <c>evictpodforce: true</c> leaves DaemonSet pods and evicts emptyDir and unmanaged pods, false refuses all
/// three. With <c>spec.drain</c> each knob is separate; DaemonSet pods are left running by default (nothing is gained
/// by refusing), while emptyDir and unmanaged pods follow evictpodforce when their knob is absent — so the data-losing
/// evictions still need an explicit yes, as <c>kubectl drain</c> needs --delete-emptydir-data and --force.
/// </summary>
public sealed record DrainPolicy(
    string DaemonSetPods,
    string EmptyDirPods,
    string UnmanagedPods,
    TimeSpan? WarnAfter = null,
    TimeSpan? FailAfter = null,
    string Action = DrainChoices.Fail)
{
    public static DrainPolicy KubeOS(bool evictPodForce) => evictPodForce
        ? new(DrainChoices.Ignore, DrainChoices.Evict, DrainChoices.Evict)
        : new(DrainChoices.Block, DrainChoices.Block, DrainChoices.Block);

    public static DrainPolicy From(OSSpec? spec)
    {
        var force = spec?.EvictPodForce == true;
        if (spec?.Drain is not { } drain) return KubeOS(force);
        var fallback = force ? DrainChoices.Evict : DrainChoices.Block;
        var escalation = drain.Escalation;
        return new DrainPolicy(
            drain.DaemonSetPods ?? DrainChoices.Ignore,
            drain.EmptyDirPods ?? fallback,
            drain.UnmanagedPods ?? fallback,
            escalation?.WarnAfter is > 0 and var warn ? TimeSpan.FromSeconds(warn) : null,
            escalation?.FailAfter is > 0 and var fail ? TimeSpan.FromSeconds(fail) : null,
            escalation?.Action ?? DrainChoices.Fail) { Explicit = true };
    }

    /// <summary>True when spec.drain is in use, so messages name its knobs rather than evictpodforce.</summary>
    public bool Explicit { get; init; }

    public bool Skips => Action == DrainChoices.Skip;
}
