using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Tests.Operator;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// A pod on node-0 guarded by a PodDisruptionBudget that allows no disruption: the proxy's drain waits on it with
/// the node cordoned and its status naming the pod and the budget, and either goes on once the budget allows an
/// eviction or fails the node at the drain deadline, uncordoned, with a condition that says why.
/// </summary>
public sealed class PodDisruptionBudgetTests
{
    private const string Guarded = "node-0";
    private const string PodName = "guarded";
    private const string BudgetName = "guard";

    [Fact]
    public async Task A_budget_allowing_no_disruption_holds_the_drain_until_it_allows_one()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 2, beforeProxies: GuardAsync);
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 2);

        await cluster.CreateAsync(EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1));
        await OperatorSandbox.EventuallyAsync(async () =>
            (await cluster.InstanceAsync(Guarded)).Status?.Message?.Contains($"PodDisruptionBudget default/{BudgetName}") == true,
            "the drain reports the budget that holds it");

        var waiting = await cluster.InstanceAsync(Guarded);
        Assert.Equal(NodePhases.Draining, waiting.Status?.Phase);
        Assert.Contains($"eviction of pod default/{PodName} refused (429)", waiting.Status?.Message);
        Assert.Contains("disruptionsAllowed 0", waiting.Status?.Message);
        Assert.True((await cluster.NodeAsync(Guarded)).Spec.Unschedulable);
        Assert.NotNull(await PodAsync(cluster));
        // maxunavailable 1: the held node keeps the only slot, so the other node has not started.
        Assert.Equal(WellKnown.NodeStatuses.Idle, (await cluster.InstanceAsync("node-1")).Spec?.NodeStatus);

        await cluster.Client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(
            new V1Patch("{\"spec\":{\"minAvailable\":0}}", V1Patch.PatchType.MergePatch), BudgetName, "default");
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "both nodes finished once the budget allowed the eviction", TimeSpan.FromSeconds(30));

        foreach (var name in cluster.NodeNames)
        {
            Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
            Assert.Equal(NodePhases.Succeeded, (await cluster.InstanceAsync(name)).Status?.Phase);
            Assert.NotEqual(true, (await cluster.NodeAsync(name)).Spec.Unschedulable);
        }
        Assert.Null(await PodAsync(cluster));
        Assert.Equal(1, sampler.Max);
    }

    [Fact]
    public async Task A_drain_still_held_at_its_deadline_fails_the_node_uncordoned_with_the_reason()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 2, beforeProxies: GuardAsync, drainTimeout: TimeSpan.FromSeconds(3));
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 2);

        await cluster.CreateAsync(EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1));
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "the held node failed and the other finished", TimeSpan.FromSeconds(30));

        var failed = await cluster.InstanceAsync(Guarded);
        Assert.Equal(NodePhases.Failed, failed.Status?.Phase);
        Assert.Equal(NodeFailureReasons.DrainTimeout, failed.Status?.Operation?.FailureReason);
        var condition = Assert.Single(failed.Status!.Conditions!, c => c.Type == NodeConditionTypes.Failed);
        Assert.Equal(ConditionStatuses.True, condition.Status);
        Assert.Equal(NodeFailureReasons.DrainTimeout, condition.Reason);
        Assert.Contains("drain did not finish within 3s", condition.Message);
        Assert.Contains($"pod default/{PodName} is held by PodDisruptionBudget default/{BudgetName}", condition.Message);
        Assert.Equal(condition.Message, failed.Status.Message);

        // Not silently left cordoned: handed back, on the old version, its pod untouched; the rollout went on.
        var node = await cluster.NodeAsync(Guarded);
        Assert.NotEqual(true, node.Spec.Unschedulable);
        Assert.Equal(EndToEndCluster.V1, node.Status.NodeInfo.OsImage);
        Assert.Contains(Guarded, sampler.EverCordoned);
        Assert.NotNull(await PodAsync(cluster));
        Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync("node-1")).Status.NodeInfo.OsImage);
        Assert.Equal(1, sampler.Max);
    }

    /// <summary>One unmanaged pod on node-0 and a budget requiring it to stay available.</summary>
    private static async Task GuardAsync(EndToEndCluster cluster)
    {
        var labels = new Dictionary<string, string> { ["guard"] = "yes" };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = PodName, NamespaceProperty = "default", Labels = labels },
            Spec = new V1PodSpec { NodeName = Guarded, Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
        }, "default");
        await cluster.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = BudgetName, NamespaceProperty = "default" },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = labels } },
        }, "default");
        await OperatorSandbox.EventuallyAsync(async () =>
            (await cluster.Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(BudgetName, "default")).Status?.CurrentHealthy == 1,
            "the guarded pod is healthy and counted by its budget");
    }

    private static async Task<V1Pod?> PodAsync(EndToEndCluster cluster) =>
        (await cluster.Client.CoreV1.ListNamespacedPodAsync("default")).Items.FirstOrDefault(p => p.Metadata.Name == PodName);
}
