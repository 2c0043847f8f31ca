using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Simulation;

/// <summary>
/// A tiny default scheduler: binds each unscheduled pod to the Ready, schedulable node with the fewest pods whose
/// labels satisfy the pod's nodeSelector and whose NoSchedule taints the pod tolerates. Cordoned nodes get nothing.
/// </summary>
public sealed class PodScheduler(IKubernetes client)
{
    public async Task ReconcileAsync(ClusterView view, CancellationToken ct)
    {
        var load = view.Nodes.ToDictionary(n => n.Metadata.Name,
            n => view.Pods.Count(p => p.Spec.NodeName == n.Metadata.Name && ClusterView.IsActive(p)));
        foreach (var pod in view.Pods.Where(p => string.IsNullOrEmpty(p.Spec.NodeName) && ClusterView.IsActive(p)
                                                  && (p.Spec.SchedulerName ?? "default-scheduler") == "default-scheduler"))
        {
            var node = view.Nodes.Where(n => Fits(pod, n)).OrderBy(n => load[n.Metadata.Name]).ThenBy(n => n.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();
            if (node is null) continue;
            await client.CoreV1.CreateNamespacedPodBindingAsync(new V1Binding
            {
                Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty },
                Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name },
            }, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
            load[node.Metadata.Name]++;
        }
    }

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
