using KubeOS.Api;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>State lives in the cluster only: a replacement operator continues a rollout where the last one stopped.</summary>
public sealed class OperatorRestartTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    [Fact]
    public async Task A_new_operator_continues_mid_rollout_without_exceeding_maxunavailable()
    {
        await using var sampler = await LabelSampler.StartAsync(sandbox.Client, WellKnown.Labels.Upgrading, OperatorSandbox.NodeCount);
        await sandbox.CreateAsync(OperatorSandbox.Upgrade("restart-upgrade", maxUnavailable: 3));

        var first = sandbox.StartOperator("op-first");
        await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == 3, "three nodes are labelled");
        // The proxy's part: one node finishes; the first operator refills its slot.
        await sandbox.Proxy.CompleteUpgradeAsync("node-0", OperatorSandbox.TargetVersion);
        await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Contains("node-3"), "node-3 is assigned");
        // The label is visible before the operator has counted its own write; wait for the count, then stop it.
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(first.Runtime.Activity.Assignments == 4), "the first operator counted four assignments");
        await first.DisposeAsync();

        // While no operator runs, two more nodes finish: two slots are free for the successor.
        await sandbox.Proxy.CompleteUpgradeAsync("node-1", OperatorSandbox.TargetVersion);
        await sandbox.Proxy.CompleteUpgradeAsync("node-2", OperatorSandbox.TargetVersion);
        Assert.Equal(["node-3"], await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));

        await using var second = sandbox.StartOperator("op-second");
        await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == 3, "the successor fills the free slots");
        Assert.Equal(["node-3", "node-4", "node-5"], await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));

        // node-3 was assigned by the first operator; the successor must neither reassign it nor count it as free.
        foreach (var node in new[] { "node-3", "node-4", "node-5", "node-6", "node-7", "node-8", "node-9" })
        {
            await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Contains(node), $"{node} is assigned");
            await sandbox.Proxy.CompleteUpgradeAsync(node, OperatorSandbox.TargetVersion);
        }
        await OperatorSandbox.EventuallyAsync(async () =>
            (int?)(await sandbox.StatusOfAsync("restart-upgrade"))?["counts"]?["done"] == 10, "all ten nodes are done");

        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(second.Runtime.Activity.Assignments == 6), "the successor counted six assignments");
        Assert.Equal(3, sampler.Max);
        Assert.Equal(OperatorSandbox.NodeNames.Order(StringComparer.Ordinal), sampler.AssignmentOrder);
    }
}
