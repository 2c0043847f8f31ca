using k8s.Models;
using KubeOS.Api.Models;

namespace KubeOS.Proxy.Drain;

/// <summary>
/// Sorts the pods of a node as KubeOS's drain does (kubeos.md §3.3), filter by filter, the first filter that does not
/// pass deciding: DaemonSet pods, mirror (static) pods, pods with emptyDir volumes, pods without an owner.
/// Pods that have finished (Succeeded/Failed) pass every filter but the mirror one: evicting them loses nothing.
/// </summary>
public static class PodClassifier
{
    public const string MirrorAnnotation = "kubernetes.io/config.mirror";

    public static DrainPlan Classify(IEnumerable<V1Pod> pods, bool evictPodForce) => Classify(pods, DrainPolicy.KubeOS(evictPodForce));

    /// <summary>
    /// The same filters with a knob per kind of pod (<see cref="DrainPolicy"/>); a refusal names the knob that refused
    /// and what to change.
    /// </summary>
    public static DrainPlan Classify(IEnumerable<V1Pod> pods, DrainPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var daemonSetFix = policy.Explicit
            ? "set spec.drain.daemonsetpods: ignore to leave DaemonSet pods running during the drain"
            : "set evictpodforce: true to leave DaemonSet pods running during the drain";
        var emptyDirFix = policy.Explicit
            ? "set spec.drain.emptydirpods: evict to accept losing its emptyDir data (kubectl drain --delete-emptydir-data), or delete the pod"
            : "set evictpodforce: true or delete the pod";
        var unmanagedFix = policy.Explicit
            ? "set spec.drain.unmanagedpods: evict to delete it for good (kubectl drain --force), or move it under a controller"
            : "set evictpodforce: true or delete the pod";
        ArgumentNullException.ThrowIfNull(pods);
        var evict = new List<V1Pod>();
        var skipped = new List<SkippedPod>();
        var blockers = new List<DrainBlocker>();
        foreach (var pod in pods)
        {
            var finished = pod.Status?.Phase is "Succeeded" or "Failed";
            if (!finished && ControllerKind(pod) == "DaemonSet")
            {
                if (policy.DaemonSetPods == DrainChoices.Ignore) skipped.Add(new(pod, "managed by a DaemonSet, which would start it again on this node"));
                else blockers.Add(new(pod, "is managed by a DaemonSet", daemonSetFix));
                continue;
            }
            if (pod.Metadata?.Annotations?.ContainsKey(MirrorAnnotation) == true)
            {
                skipped.Add(new(pod, "a static (mirror) pod, which the API cannot evict"));
                continue;
            }
            if (!finished && pod.Spec?.Volumes?.Any(v => v.EmptyDir is not null) == true)
            {
                if (policy.EmptyDirPods == DrainChoices.Evict) evict.Add(pod);
                else blockers.Add(new(pod, "uses emptyDir storage, which is lost on eviction", emptyDirFix));
                continue;
            }
            if (!finished && (pod.Metadata?.OwnerReferences is null || pod.Metadata.OwnerReferences.Count == 0))
            {
                if (policy.UnmanagedPods == DrainChoices.Evict) evict.Add(pod);
                else blockers.Add(new(pod, "has no controller, so nothing would recreate it", unmanagedFix));
                continue;
            }
            evict.Add(pod);
        }
        return new DrainPlan(evict, skipped, blockers);
    }

    public static string? ControllerKind(V1Pod pod) =>
        pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Kind;
}
