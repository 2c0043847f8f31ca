using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Simulation;

/// <summary>
/// Gives each Deployment a ReplicaSet for its current pod template (named with the pod-template-hash, as the
/// deployment controller names it) and scales ReplicaSets of older templates to zero. Rollouts are not paced:
/// the new template gets all replicas at once.
/// </summary>
public sealed class DeploymentController(IKubernetes client)
{
    public const string HashLabel = "pod-template-hash";

    public async Task ReconcileAsync(ClusterView view, CancellationToken ct)
    {
        foreach (var deployment in view.Deployments)
        {
            var ns = deployment.Metadata.NamespaceProperty;
            var hash = TemplateHash(deployment.Spec.Template);
            var replicas = deployment.Spec.Replicas ?? 1;
            var owned = view.ReplicaSets.Where(r => ClusterView.ControllerOf(r.Metadata)?.Uid == deployment.Metadata.Uid).ToList();
            var current = owned.FirstOrDefault(r => r.Metadata.Labels?.TryGetValue(HashLabel, out var h) == true && h == hash);
            if (current is null) await CreateReplicaSetAsync(deployment, hash, replicas, ct);
            else if (current.Spec.Replicas != replicas) await ScaleAsync(current, replicas, ct);
            foreach (var old in owned.Where(r => r != current && (r.Spec.Replicas ?? 1) != 0)) await ScaleAsync(old, 0, ct);
            await ReportAsync(deployment, owned, current, ct);
        }
    }

    /// <summary>A stable short hash of the pod template, in the alphabet kube uses for generated suffixes.</summary>
    public static string TemplateHash(V1PodTemplateSpec template)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template)));
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[digest[i] % alphabet.Length];
        return new string(chars);
    }

    private async Task CreateReplicaSetAsync(V1Deployment deployment, string hash, int replicas, CancellationToken ct)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(deployment.Spec.Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>()) { [HashLabel] = hash };
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string>(deployment.Spec.Selector.MatchLabels ?? new Dictionary<string, string>()) { [HashLabel] = hash },
            MatchExpressions = deployment.Spec.Selector.MatchExpressions,
        };
        await client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{deployment.Metadata.Name}-{hash}",
                Labels = template.Metadata.Labels,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment.Metadata.Name, Uid = deployment.Metadata.Uid,
                        Controller = true, BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new V1ReplicaSetSpec { Replicas = replicas, Selector = selector, Template = template },
        }, deployment.Metadata.NamespaceProperty, cancellationToken: ct);
    }

    private Task ScaleAsync(V1ReplicaSet rs, int replicas, CancellationToken ct) =>
        client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch),
            rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: ct);

    private async Task ReportAsync(V1Deployment deployment, List<V1ReplicaSet> owned, V1ReplicaSet? current, CancellationToken ct)
    {
        var replicas = owned.Sum(r => r.Status?.Replicas ?? 0);
        var ready = owned.Sum(r => r.Status?.ReadyReplicas ?? 0);
        var updated = current?.Status?.Replicas ?? 0;
        var s = deployment.Status;
        if (s is not null && (s.Replicas ?? 0) == replicas && (s.ReadyReplicas ?? 0) == ready && (s.UpdatedReplicas ?? 0) == updated
            && s.ObservedGeneration == deployment.Metadata.Generation)
            return;
        var status = new JsonObject
        {
            ["observedGeneration"] = deployment.Metadata.Generation, ["replicas"] = replicas, ["updatedReplicas"] = updated,
            ["readyReplicas"] = ready, ["availableReplicas"] = ready, ["unavailableReplicas"] = Math.Max(0, (deployment.Spec.Replicas ?? 1) - ready),
        };
        await client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch),
            deployment.Metadata.Name, deployment.Metadata.NamespaceProperty, cancellationToken: ct);
    }
}
