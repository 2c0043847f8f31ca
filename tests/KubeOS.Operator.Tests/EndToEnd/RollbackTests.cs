using System.Text.Json.Nodes;
using KubeOS.Api;
using KubeOS.Api.Models;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>An upgrade, then the same OS turned into a rollback: the nodes boot their other partition and are back on v1.</summary>
public sealed class RollbackTests
{
    [Fact]
    public async Task Rolling_back_after_an_upgrade_returns_every_node_to_the_old_version()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 3);
        await cluster.CreateAsync(EndToEndCluster.Upgrade("os", maxUnavailable: 3));
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "the upgrade finished");
        foreach (var name in cluster.NodeNames)
            Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);

        await cluster.PatchSpecAsync("os", new JsonObject { ["opstype"] = WellKnown.OpsTypes.Rollback, ["osversion"] = EndToEndCluster.V1 });
        await Operator.OperatorSandbox.EventuallyAsync(async () =>
        {
            foreach (var name in cluster.NodeNames)
                if ((await cluster.NodeAsync(name)).Status.NodeInfo.OsImage != EndToEndCluster.V1) return false;
            return true;
        }, "every node is back on KubeOS v1", TimeSpan.FromSeconds(60));
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "the rollback finished");

        foreach (var name in cluster.NodeNames)
        {
            var osi = await cluster.InstanceAsync(name);
            Assert.Equal(NodePhases.Succeeded, osi.Status?.Phase);
            Assert.Equal(WellKnown.OpsTypes.Rollback, osi.Status?.Operation?.OpsType);
            Assert.Contains("rolled back from KubeOS v2 to KubeOS v1", osi.Status?.Message);
            Assert.NotEqual(true, (await cluster.NodeAsync(name)).Spec.Unschedulable);
        }
    }
}
