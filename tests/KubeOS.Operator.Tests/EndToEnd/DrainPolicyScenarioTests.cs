using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Tests.Operator;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// spec.drain through the real proxies: an emptyDir or unmanaged pod refused by its knob fails the node at once with
/// the pod, the reason and the knob to change; a drain held by a budget warns (condition and event) and then fails or
/// skips the node, uncordoned either way, the rollout going on with the others.
/// </summary>
public sealed class DrainPolicyScenarioTests
{
    private const string Held = "node-0";
    private const string PodName = "held";

    [Theory]
    [InlineData(true, "uses emptyDir storage, which is lost on eviction", "spec.drain.emptydirpods: evict")]
    [InlineData(false, "has no controller, so nothing would recreate it", "spec.drain.unmanagedpods: evict")]
    public async Task A_pod_refused_by_its_knob_fails_the_node_with_the_pod_the_reason_and_the_fix(bool emptyDir, string reason, string fix)
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 2, beforeProxies: c => UnmanagedPodAsync(c, emptyDir));
        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1);
        os.Spec!.EvictPodForce = true; // spec.drain takes over: the knob below refuses although KubeOS's force would evict
        os.Spec.Drain = emptyDir
            ? new DrainSpec { EmptyDirPods = DrainChoices.Block, UnmanagedPods = DrainChoices.Evict }
            : new DrainSpec { UnmanagedPods = DrainChoices.Block };
        await cluster.CreateAsync(os);
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "the refused node failed and the other finished", TimeSpan.FromSeconds(30));

        var failed = await cluster.InstanceAsync(Held);
        Assert.Equal(NodePhases.Failed, failed.Status?.Phase);
        Assert.Equal(NodeFailureReasons.DrainBlocked, failed.Status?.Operation?.FailureReason);
        Assert.Contains($"default/{PodName}: {reason}", failed.Status?.Message);
        Assert.Contains(fix, failed.Status?.Message);
        Assert.NotEqual(true, (await cluster.NodeAsync(Held)).Spec.Unschedulable);
        Assert.Equal(EndToEndCluster.V1, (await cluster.NodeAsync(Held)).Status.NodeInfo.OsImage);
        Assert.NotNull(await PodAsync(cluster));
        Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync("node-1")).Status.NodeInfo.OsImage);
        var history = Assert.Single(failed.Status!.History!);
        Assert.Equal((NodePhases.Failed, NodeFailureReasons.DrainBlocked, EndToEndCluster.V1, EndToEndCluster.V2),
            (history.Result, history.FailureReason, history.FromVersion, history.TargetVersion));
    }

    [Theory]
    [InlineData(DrainChoices.Fail, NodeFailureReasons.DrainTimeout)]
    [InlineData(DrainChoices.Skip, NodeFailureReasons.DrainSkipped)]
    public async Task A_held_drain_warns_then_fails_or_skips_the_node_uncordoned(string action, string expectedReason)
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 2, beforeProxies: GuardAsync);
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 2);
        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1);
        os.Spec!.Drain = new DrainSpec { Escalation = new DrainEscalation { WarnAfter = 1, FailAfter = 4, Action = action } };
        await cluster.CreateAsync(os);

        // Warn: a condition on the node's OSInstance naming the pod and the budget, and a Warning event.
        await OperatorSandbox.EventuallyAsync(async () =>
            (await cluster.InstanceAsync(Held)).Status?.Conditions?.Any(c => c.Type == NodeConditionTypes.DrainStalled && c.Status == ConditionStatuses.True) == true,
            "the drain is reported stalled");
        var stalled = (await cluster.InstanceAsync(Held)).Status!.Conditions!.Single(c => c.Type == NodeConditionTypes.DrainStalled);
        Assert.Contains($"pod default/{PodName} is held by PodDisruptionBudget default/guard (disruptionsAllowed 0)", stalled.Message);
        Assert.Contains(action == DrainChoices.Skip ? "will be skipped" : "will be failed", stalled.Message);
        Assert.True((await cluster.NodeAsync(Held)).Spec.Unschedulable);
        await OperatorSandbox.EventuallyAsync(async () =>
            (await cluster.Client.CoreV1.ListNamespacedEventAsync("default")).Items.Any(e => e.Reason == "DrainStalled" && e.Type == "Warning" &&
                e.InvolvedObject?.Kind == "OS" && e.Message.Contains(Held)),
            "the operator recorded a DrainStalled warning event on the OS");
        await OperatorSandbox.EventuallyAsync(async () =>
            (await cluster.Client.CoreV1.ListNamespacedEventAsync("default")).Items.Any(e => e.Reason == "DrainStalled" && e.InvolvedObject?.Kind == "Node"),
            "the operator recorded a DrainStalled warning event on the node");
        var onNode = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default")).Items
            .Single(e => e.Reason == "DrainStalled" && e.InvolvedObject?.Kind == "Node");
        Assert.Equal((Held, "Warning"), (onNode.InvolvedObject.Name, onNode.Type));
        Assert.Contains("PodDisruptionBudget default/guard", onNode.Message);

        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "the held node gave up and the other finished", TimeSpan.FromSeconds(30));
        var osi = await cluster.InstanceAsync(Held);
        Assert.Equal(expectedReason, osi.Status?.Operation?.FailureReason);
        Assert.Equal(ConditionStatuses.False, osi.Status!.Conditions!.Single(c => c.Type == NodeConditionTypes.DrainStalled).Status);
        var node = await cluster.NodeAsync(Held);
        Assert.NotEqual(true, node.Spec.Unschedulable);
        Assert.Equal(EndToEndCluster.V1, node.Status.NodeInfo.OsImage);
        Assert.NotNull(await PodAsync(cluster));
        Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync("node-1")).Status.NodeInfo.OsImage);
        Assert.Equal(1, sampler.Max);

        await OperatorSandbox.EventuallyAsync(async () =>
            (await cluster.StatusOfAsync("upgrade"))?["counts"]?["done"]?.GetValue<int>() == 1, "the operator counted the other node done");
        var counts = (await cluster.StatusOfAsync("upgrade"))!["counts"]!;
        Assert.Equal(action == DrainChoices.Skip ? (0, 1) : (1, 0), ((int)counts["failed"]!, (int)counts["skipped"]!));
    }

    private static async Task UnmanagedPodAsync(EndToEndCluster cluster, bool emptyDir)
    {
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = PodName, NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                NodeName = Held, Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }],
                Volumes = emptyDir ? [new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() }] : null,
            },
        }, "default");
    }

    /// <summary>An unmanaged pod on node-0 and a budget requiring it to stay available.</summary>
    private static async Task GuardAsync(EndToEndCluster cluster)
    {
        var labels = new Dictionary<string, string> { ["guard"] = "yes" };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = PodName, NamespaceProperty = "default", Labels = labels },
            Spec = new V1PodSpec { NodeName = Held, Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
        }, "default");
        await cluster.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "guard", NamespaceProperty = "default" },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = labels } },
        }, "default");
        await OperatorSandbox.EventuallyAsync(async () =>
            (await cluster.Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("guard", "default")).Status?.CurrentHealthy == 1,
            "the guarded pod is healthy and counted by its budget");
    }

    private static async Task<V1Pod?> PodAsync(EndToEndCluster cluster) =>
        (await cluster.Client.CoreV1.ListNamespacedPodAsync("default")).Items.FirstOrDefault(p => p.Metadata.Name == PodName);
}
