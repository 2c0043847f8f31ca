using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Simulation;

/// <summary>Runs one pod of each DaemonSet on every matching node (cordoned ones included, as DaemonSets tolerate that).</summary>
public sealed class DaemonSetController(IKubernetes client)
{
    public async Task ReconcileAsync(ClusterView view, CancellationToken ct)
    {
        foreach (var ds in view.DaemonSets)
        {
            var owned = view.Pods.Where(p => ClusterView.ControllerOf(p.Metadata)?.Uid == ds.Metadata.Uid && ClusterView.IsActive(p)).ToList();
            var selector = ds.Spec.Template.Spec.NodeSelector;
            var nodes = view.Nodes.Where(n => selector is null || selector.All(kv => n.Metadata.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value)).ToList();
            foreach (var node in nodes.Where(n => owned.All(p => p.Spec.NodeName != n.Metadata.Name)))
                await CreatePodAsync(ds, node.Metadata.Name, ct);
            var ready = owned.Count(ClusterView.IsPodReady);
            var s = ds.Status;
            if (s is not null && s.DesiredNumberScheduled == nodes.Count && s.CurrentNumberScheduled == owned.Count && s.NumberReady == ready
                && s.ObservedGeneration == ds.Metadata.Generation)
                continue;
            var status = new JsonObject
            {
                ["desiredNumberScheduled"] = nodes.Count, ["currentNumberScheduled"] = owned.Count, ["numberMisscheduled"] = 0,
                ["numberReady"] = ready, ["updatedNumberScheduled"] = owned.Count, ["numberAvailable"] = ready,
                ["observedGeneration"] = ds.Metadata.Generation,
            };
            await client.AppsV1.PatchNamespacedDaemonSetStatusAsync(new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch),
                ds.Metadata.Name, ds.Metadata.NamespaceProperty, cancellationToken: ct);
        }
    }

    private async Task CreatePodAsync(V1DaemonSet ds, string node, CancellationToken ct)
    {
        var template = ds.Spec.Template;
        var spec = template.Spec;
        spec.NodeName = node;
        spec.Tolerations = [.. spec.Tolerations ?? [],
            new V1Toleration { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoSchedule" },
            new V1Toleration { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute" }];
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                GenerateName = ds.Metadata.Name + "-",
                Labels = template.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : null,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "apps/v1", Kind = "DaemonSet", Name = ds.Metadata.Name, Uid = ds.Metadata.Uid,
                        Controller = true, BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = spec,
        }, ds.Metadata.NamespaceProperty, cancellationToken: ct);
    }
}
