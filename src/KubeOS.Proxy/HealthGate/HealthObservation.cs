using k8s.Models;
using KubeOS.Api.Selectors;
using KubeOS.Proxy.Drain;

namespace KubeOS.Proxy.HealthGate;

/// <summary>One look at what the health gate checks, each failing check named for people.</summary>
/// <param name="Failures">Empty when every check passes.</param>
public sealed record HealthObservation(IReadOnlyList<string> Failures)
{
    public bool Healthy => Failures.Count == 0;

    /// <summary>
    /// The node must be Ready, every DaemonSet pod on it Ready, every pod matching the selector Ready, and the probe
    /// (when there is one) must have answered as expected. Finished and terminating pods are not judged.
    /// </summary>
    /// <param name="probeFailure">Why the HTTP probe failed; null when it passed or there is none.</param>
    public static HealthObservation From(bool nodeReady, IEnumerable<V1Pod> podsOnNode, PodSelector? selector, string? probeFailure)
    {
        var failures = new List<string>();
        if (!nodeReady) failures.Add("the node is not Ready");
        foreach (var pod in podsOnNode.OrderBy(p => p.Metadata?.NamespaceProperty).ThenBy(p => p.Metadata?.Name))
        {
            if (pod.Status?.Phase is "Succeeded" or "Failed" || pod.Metadata?.DeletionTimestamp is not null || IsReady(pod)) continue;
            var name = $"{pod.Metadata?.NamespaceProperty}/{pod.Metadata?.Name}";
            if (PodClassifier.ControllerKind(pod) == "DaemonSet")
                failures.Add($"DaemonSet pod {name} is not Ready");
            else if (selector is { IsEmpty: false } s && s.Matches(pod.Metadata?.Labels as IReadOnlyDictionary<string, string>))
                failures.Add($"pod {name} (healthgate.podselector) is not Ready");
        }
        if (probeFailure is not null) failures.Add(probeFailure);
        return new HealthObservation(failures);
    }

    private static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";
}
