using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Simulation;

/// <summary>Seeds the workloads a drain has to respect: ReplicaSets with PDBs, and optionally a DaemonSet.</summary>
public static class WorkloadSeeder
{
    public const string DaemonSetName = "node-monitor";

    public static async Task SeedAsync(IKubernetes client, NodeSimulatorOptions options, CancellationToken ct)
    {
        for (var i = 0; i < options.Workloads; i++)
        {
            var name = $"workload-{i}";
            var labels = new Dictionary<string, string> { ["app"] = name };
            await CreateIfMissing(() => client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = labels },
                Spec = new V1ReplicaSetSpec
                {
                    Replicas = options.ReplicasPerWorkload,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/workload:1" }] },
                    },
                },
            }, options.WorkloadNamespace, cancellationToken: ct));
            await CreateIfMissing(() => client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = labels } },
            }, options.WorkloadNamespace, cancellationToken: ct));
        }
        if (options.SeedDaemonSet && options.Workloads > 0)
        {
            var labels = new Dictionary<string, string> { ["app"] = DaemonSetName };
            await CreateIfMissing(() => client.AppsV1.CreateNamespacedDaemonSetAsync(new V1DaemonSet
            {
                Metadata = new V1ObjectMeta { Name = DaemonSetName, Labels = labels },
                Spec = new V1DaemonSetSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "monitor", Image = "registry.example/monitor:1" }] },
                    },
                },
            }, "kube-system", cancellationToken: ct));
        }
    }

    private static async Task CreateIfMissing(Func<Task> create)
    {
        try { await create(); }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { }
    }
}
