using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Simulation;

/// <summary>One consistent look at the objects the simulated kubelets and controllers act on.</summary>
public sealed record ClusterView(IReadOnlyList<V1Node> Nodes, IReadOnlyList<V1Pod> Pods, IReadOnlyList<V1ReplicaSet> ReplicaSets,
    IReadOnlyList<V1DaemonSet> DaemonSets, IReadOnlyList<V1Deployment> Deployments)
{
    public static async Task<ClusterView> ReadAsync(IKubernetes client, bool withControllers, CancellationToken ct)
    {
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: ct);
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct);
        IReadOnlyList<V1ReplicaSet> rs = [];
        IReadOnlyList<V1DaemonSet> ds = [];
        IReadOnlyList<V1Deployment> deployments = [];
        if (withControllers)
        {
            deployments = (await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: ct)).Items.ToList();
            rs = (await client.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: ct)).Items.ToList();
            ds = (await client.AppsV1.ListDaemonSetForAllNamespacesAsync(cancellationToken: ct)).Items.ToList();
        }
        return new ClusterView(nodes.Items.ToList(), pods.Items.ToList(), rs, ds, deployments);
    }

    public static bool IsActive(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed");

    public static bool IsReady(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static bool IsPodReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static V1OwnerReference? ControllerOf(V1ObjectMeta meta) =>
        meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
}
