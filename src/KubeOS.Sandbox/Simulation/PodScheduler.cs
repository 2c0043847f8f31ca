using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Simulation;

/// <summary>
/// A tiny default scheduler: binds each unscheduled pod to a Ready, schedulable node whose labels satisfy the pod's
/// nodeSelector and whose NoSchedule taints the pod tolerates. Cordoned nodes get nothing. Among those it prefers the
/// node with the fewest pods of the same owner (kube-scheduler's default topology spreading by hostname keeps
/// replicas apart), then the node with the fewest pods.
/// </summary>
public sealed class PodScheduler(IKubernetes client)
{
    public async Task ReconcileAsync(ClusterView view, CancellationToken ct)
    {
        var load = view.Nodes.ToDictionary(n => n.Metadata.Name,
            n => view.Pods.Count(p => p.Spec.NodeName == n.Metadata.Name && ClusterView.IsActive(p)));
        var siblings = view.Pods.Where(p => !string.IsNullOrEmpty(p.Spec.NodeName) && ClusterView.IsActive(p) && OwnerOf(p) is not null)
            .GroupBy(p => (OwnerOf(p)!, p.Spec.NodeName))
            .ToDictionary(g => g.Key, g => g.Count());
        foreach (var pod in view.Pods.Where(p => string.IsNullOrEmpty(p.Spec.NodeName) && ClusterView.IsActive(p)
                                                  && (p.Spec.SchedulerName ?? "default-scheduler") == "default-scheduler"))
        {
            var owner = OwnerOf(pod);
            int Siblings(V1Node n) => owner is null ? 0 : siblings.GetValueOrDefault((owner, n.Metadata.Name));
            var node = view.Nodes.Where(n => Fits(pod, n))
                .OrderBy(Siblings).ThenBy(n => load[n.Metadata.Name]).ThenBy(n => n.Metadata.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (node is null) continue;
            await client.CoreV1.CreateNamespacedPodBindingAsync(new V1Binding
            {
                Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty },
                Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name },
            }, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
            load[node.Metadata.Name]++;
            if (owner is not null) siblings[(owner, node.Metadata.Name)] = Siblings(node) + 1;
        }
    }

    /// <summary>The controller that owns the pod, as namespace/uid, or null for an unowned pod.</summary>
    private static string? OwnerOf(V1Pod pod) =>
        pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is { } o ? $"{pod.Metadata.NamespaceProperty}/{o.Uid}" : null;

    public static bool Fits(V1Pod pod, V1Node node)
    {
        if (node.Spec?.Unschedulable == true && !Tolerates(pod, "node.kubernetes.io/unschedulable", "NoSchedule")) return false;
        if (!ClusterView.IsReady(node)) return false;
        if (pod.Spec.NodeSelector is { } selector &&
            selector.Any(kv => node.Metadata.Labels is null || !node.Metadata.Labels.TryGetValue(kv.Key, out var v) || v != kv.Value))
            return false;
        return node.Spec?.Taints?.Where(t => t.Effect is "NoSchedule" or "NoExecute").All(t => Tolerates(pod, t.Key, t.Effect)) ?? true;
    }

    private static bool Tolerates(V1Pod pod, string key, string effect) =>
        pod.Spec.Tolerations?.Any(t => (t.OperatorProperty == "Exists" && (t.Key is null || t.Key == key) || t.Key == key)
                                       && (t.Effect is null || t.Effect == effect)) == true;
}
