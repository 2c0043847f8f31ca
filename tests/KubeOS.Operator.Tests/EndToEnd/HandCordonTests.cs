using KubeOS.Api;
using KubeOS.Api.Models;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>A cordon an administrator made is never undone by the rollout: only the proxy's own cordon is.</summary>
public sealed class HandCordonTests
{
    private const string Cordoned = "node-0";

    /// <summary>
    /// The operator counts a cordoned node as unavailable and upgrades it first, at no extra cost: it is out of service
    /// already. It is handed back still cordoned; the others upgrade around it.
    /// </summary>
    [Fact]
    public async Task A_node_cordoned_before_the_rollout_is_upgraded_and_left_cordoned()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 4, beforeProxies: c => c.CordonAsync(Cordoned));
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 4);

        await cluster.CreateAsync(EndToEndCluster.Upgrade("upgrade", maxUnavailable: 2));
        await Operator.OperatorSandbox.EventuallyAsync(async () =>
        {
            foreach (var name in cluster.NodeNames)
                if ((await cluster.NodeAsync(name)).Status.NodeInfo.OsImage != EndToEndCluster.V2) return false;
            return true;
        }, "every node runs KubeOS v2");
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node finished the upgrade");

        var node = await cluster.NodeAsync(Cordoned);
        Assert.True(node.Spec.Unschedulable);
        var osi = await cluster.InstanceAsync(Cordoned);
        Assert.Equal(NodePhases.Succeeded, osi.Status?.Phase);
        Assert.Equal(false, osi.Status?.Operation?.CordonedByUs);
        foreach (var name in cluster.NodeNames.Where(n => n != Cordoned))
        {
            Assert.NotEqual(true, (await cluster.NodeAsync(name)).Spec.Unschedulable);
            Assert.Equal(NodePhases.Succeeded, (await cluster.InstanceAsync(name)).Status?.Phase);
        }
        // The hand-cordoned node took one of the two slots the whole time and never a second one.
        Assert.Equal(2, sampler.Max);
    }

    /// <summary>
    /// Cordoned by hand while the proxy is still staging the image: the proxy finds the node already cordoned, drains,
    /// upgrades, and hands it back still cordoned.
    /// </summary>
    [Fact]
    public async Task A_node_cordoned_by_hand_during_its_upgrade_stays_cordoned_after_it()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 2, prepareDuration: TimeSpan.FromSeconds(1));

        await cluster.CreateAsync(EndToEndCluster.Upgrade("upgrade", maxUnavailable: 2));
        await Operator.OperatorSandbox.EventuallyAsync(async () => (await cluster.InstanceAsync(Cordoned)).Status?.Phase == NodePhases.Preparing,
            $"{Cordoned} is staging the image");
        await cluster.CordonAsync(Cordoned);
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "both nodes finished the upgrade");

        var osi = await cluster.InstanceAsync(Cordoned);
        Assert.Equal(NodePhases.Succeeded, osi.Status?.Phase);
        Assert.Equal(false, osi.Status?.Operation?.CordonedByUs);
        var node = await cluster.NodeAsync(Cordoned);
        Assert.Equal(EndToEndCluster.V2, node.Status.NodeInfo.OsImage);
        Assert.True(node.Spec.Unschedulable);
        Assert.NotEqual(true, (await cluster.NodeAsync("node-1")).Spec.Unschedulable);
    }
}
