using KubeOS.Api;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>Serial mode: batches of maxunavailable nodes marked with the serial label, one node at a time inside a batch.</summary>
public sealed class SerialRolloutTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    [Fact]
    public async Task Serial_mode_upgrades_one_node_at_a_time_in_batches_in_name_order()
    {
        await using var sampler = await LabelSampler.StartAsync(sandbox.Client, WellKnown.Labels.Upgrading, OperatorSandbox.NodeCount);
        await using var serial = await LabelSampler.StartAsync(sandbox.Client, WellKnown.Labels.Serial, OperatorSandbox.NodeCount);
        await using var op = sandbox.StartOperator("op-serial");
        await sandbox.CreateAsync(OperatorSandbox.Upgrade("serial-upgrade", maxUnavailable: 2, mode: WellKnown.ExecutionModes.Serial));

        var finished = new List<string>();
        while (finished.Count < 4)
        {
            await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == 1,
                $"one node is upgrading after {finished.Count} finished");
            var batch = await sandbox.NodesLabelledAsync(WellKnown.Labels.Serial);
            var expectedBatch = finished.Count < 2 ? new[] { "node-0", "node-1" } : ["node-2", "node-3"];
            Assert.Equal(expectedBatch, batch);
            var upgrading = (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Single();
            Assert.Contains(upgrading, batch);
            // The proxy's part: the node finishes its upgrade.
            await sandbox.Proxy.CompleteUpgradeAsync(upgrading, OperatorSandbox.TargetVersion);
            finished.Add(upgrading);
        }

        Assert.Equal(["node-0", "node-1", "node-2", "node-3"], finished);
        Assert.Equal(["node-0", "node-1", "node-2", "node-3"], sampler.AssignmentOrder.Take(4));
        Assert.Equal(1, sampler.Max);
        Assert.Equal(2, serial.Max);
    }
}
