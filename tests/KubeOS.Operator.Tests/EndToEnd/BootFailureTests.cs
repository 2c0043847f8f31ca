using KubeOS.Api.Models;
using KubeOS.Sandbox.Simulation.Agent;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>One node's new root does not boot: it comes back on the old version, fails, and is handed back uncordoned.</summary>
public sealed class BootFailureTests
{
    private const string Faulty = "node-2";

    [Fact]
    public async Task A_node_back_on_the_old_version_fails_once_and_is_uncordoned()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 3,
            beforeProxies: c => c.AnnotateAsync(Faulty, AgentFaults.Annotation, "boot-failure"));
        var bootBefore = (await cluster.NodeAsync(Faulty)).Status.NodeInfo.BootID;

        await cluster.CreateAsync(EndToEndCluster.Upgrade("upgrade", maxUnavailable: 3));
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node finished or failed");

        var failed = await cluster.InstanceAsync(Faulty);
        Assert.Equal(NodePhases.Failed, failed.Status?.Phase);
        Assert.Equal(NodeFailureReasons.WrongVersionAfterReboot, failed.Status?.Operation?.FailureReason);
        Assert.Contains("came back on KubeOS v1, expected KubeOS v2", failed.Status?.Message);
        var node = await cluster.NodeAsync(Faulty);
        Assert.Equal(EndToEndCluster.V1, node.Status.NodeInfo.OsImage);
        Assert.NotEqual(true, node.Spec.Unschedulable);
        var bootAfterFailure = node.Status.NodeInfo.BootID;
        Assert.NotEqual(bootBefore, bootAfterFailure);

        // No second attempt: a while later the node has not rebooted again and still records the one failed attempt.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        node = await cluster.NodeAsync(Faulty);
        Assert.Equal(bootAfterFailure, node.Status.NodeInfo.BootID);
        failed = await cluster.InstanceAsync(Faulty);
        Assert.Equal(NodePhases.Failed, failed.Status?.Phase);
        Assert.Equal(1, failed.Status?.Operation?.Attempt);
        Assert.Null(failed.Spec?.NamespacedName);

        foreach (var name in cluster.NodeNames.Where(n => n != Faulty))
            Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
    }
}
