using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Simulation;

/// <summary>
/// Keeps each ReplicaSet at its replica count: a missing pod (evicted, deleted) is replaced after
/// <see cref="NodeSimulatorOptions.RecreateDelay"/>, surplus pods are deleted, and status is reported.
/// </summary>
public sealed class ReplicaSetController(IKubernetes client, NodeSimulatorOptions options, TimeProvider clock)
{
    private readonly Dictionary<string, DateTimeOffset> _shortSince = new();

    public async Task ReconcileAsync(ClusterView view, CancellationToken ct)
    {
        foreach (var rs in view.ReplicaSets)
        {
            var uid = rs.Metadata.Uid;
            var owned = view.Pods.Where(p => ClusterView.ControllerOf(p.Metadata)?.Uid == uid && ClusterView.IsActive(p)).ToList();
            var want = rs.Spec.Replicas ?? 1;
            var missing = want - owned.Count;
            if (missing > 0)
            {
                var now = clock.GetUtcNow();
                var since = _shortSince.TryGetValue(uid, out var s) ? s : _shortSince[uid] = now;
                // A new ReplicaSet starts at once; replacing pods that went away waits for the delay.
                if (rs.Status is null || now - since >= options.RecreateDelay)
                {
                    for (var i = 0; i < missing; i++) await CreatePodAsync(rs, ct);
                    _shortSince.Remove(uid);
                }
            }
            else
            {
                _shortSince.Remove(uid);
                foreach (var extra in owned.OrderBy(p => ClusterView.IsPodReady(p)).Take(-missing))
                    await client.CoreV1.DeleteNamespacedPodAsync(extra.Metadata.Name, extra.Metadata.NamespaceProperty, cancellationToken: ct);
            }
            await ReportAsync(rs, owned, ct);
        }
    }

    private async Task CreatePodAsync(V1ReplicaSet rs, CancellationToken ct)
    {
        var template = rs.Spec.Template;
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                GenerateName = rs.Metadata.Name + "-",
                Labels = template.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : null,
                Annotations = template.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a) : null,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = rs.Metadata.Name, Uid = rs.Metadata.Uid,
                        Controller = true, BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = template.Spec,
        };
        await client.CoreV1.CreateNamespacedPodAsync(pod, rs.Metadata.NamespaceProperty, cancellationToken: ct);
    }

    private async Task ReportAsync(V1ReplicaSet rs, List<V1Pod> owned, CancellationToken ct)
    {
        var ready = owned.Count(ClusterView.IsPodReady);
        var s = rs.Status;
        if (s is not null && s.Replicas == owned.Count && (s.ReadyReplicas ?? 0) == ready && (s.AvailableReplicas ?? 0) == ready
            && s.ObservedGeneration == rs.Metadata.Generation)
            return;
        var status = new JsonObject
        {
            ["replicas"] = owned.Count, ["fullyLabeledReplicas"] = owned.Count, ["readyReplicas"] = ready,
            ["availableReplicas"] = ready, ["observedGeneration"] = rs.Metadata.Generation,
        };
        await client.AppsV1.PatchNamespacedReplicaSetStatusAsync(new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch),
            rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: ct);
    }
}
