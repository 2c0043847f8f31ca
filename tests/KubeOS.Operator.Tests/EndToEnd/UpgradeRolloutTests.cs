using k8s;
using KubeOS.Api;
using KubeOS.Api.Models;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>A six-node upgrade with maxunavailable 2 through the real proxies and simulated agents, with PDB-guarded workloads.</summary>
public sealed class UpgradeRolloutTests
{
    [Fact]
    public async Task Six_nodes_upgrade_two_at_a_time_and_pods_move_through_the_eviction_api()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 6, workloads: 2);
        var ct = TestContext.Current.CancellationToken;
        await Operator.OperatorSandbox.EventuallyAsync(async () =>
            (await cluster.Client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: ct)).Items.Count(p => p.Spec.NodeName is { Length: > 0 }) == 6,
            "the seeded workloads' pods are scheduled");
        var podsBefore = (await cluster.Client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: ct)).Items.ToList();
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 6);
        await using var health = await WorkloadHealthSampler.StartAsync(cluster.Client, "default", expectedReady: 6);

        await cluster.CreateAsync(EndToEndCluster.Upgrade("upgrade", maxUnavailable: 2));
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "all six nodes finished the upgrade");

        foreach (var name in cluster.NodeNames)
        {
            var node = await cluster.NodeAsync(name);
            Assert.Equal(EndToEndCluster.V2, node.Status.NodeInfo.OsImage);
            Assert.NotEqual(true, node.Spec.Unschedulable);
            var osi = await cluster.InstanceAsync(name);
            Assert.Equal(NodePhases.Succeeded, osi.Status?.Phase);
            Assert.Contains("upgraded from KubeOS v1 to KubeOS v2", osi.Status?.Message);
        }
        Assert.InRange(sampler.Max, 1, 2);
        Assert.Equal(cluster.NodeNames.ToHashSet(), sampler.EverCordoned);

        // Every original pod was evicted (each node drained once) and its ReplicaSet put a new one on another node.
        var podsAfter = (await cluster.Client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: ct)).Items.ToList();
        Assert.DoesNotContain(podsAfter, p => podsBefore.Any(b => b.Metadata.Uid == p.Metadata.Uid));
        await Operator.OperatorSandbox.EventuallyAsync(async () =>
            (await cluster.Client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: ct)).Items.Count(p => p.Spec.NodeName is { Length: > 0 }) == 6,
            "the workloads are back to six scheduled pods");
        Assert.Subset(health.Deleted.ToHashSet(), podsBefore.Select(p => p.Metadata.Uid).ToHashSet());
        // Each workload has 3 replicas and a budget of maxUnavailable 1: evictions went through the Eviction API, which
        // refuses a second disruption, so no workload was ever seen with fewer than 2 Ready pods.
        var budgets = (await cluster.Client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync("default", cancellationToken: ct)).Items;
        Assert.Equal(2, budgets.Count);
        Assert.Equal(["workload-0", "workload-1"], health.Lowest.Keys.Order(StringComparer.Ordinal));
        Assert.All(health.Lowest, kv => Assert.True(kv.Value >= 2, $"{kv.Key} fell to {kv.Value} Ready pods"));
    }
}
