using Xunit;
using KubeOS.Api;
using KubeOS.Operator.Status;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>A parallel upgrade of ten nodes with maxunavailable 2, driven by a real operator loop against the sandbox.</summary>
public sealed class ParallelRolloutTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    [Fact]
    public async Task Upgrades_ten_nodes_never_more_than_two_at_once_and_reports_status()
    {
        await using var sampler = await LabelSampler.StartAsync(sandbox.Client, WellKnown.Labels.Upgrading, OperatorSandbox.NodeCount);
        await using var op = sandbox.StartOperator("op-a");
        await sandbox.CreateAsync(OperatorSandbox.Upgrade("fleet-upgrade", maxUnavailable: 2));

        // First round: exactly the first two nodes in name order, OSInstance spec written and the node labelled.
        await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == 2, "two nodes are labelled");
        Assert.Equal(["node-0", "node-1"], await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));
        foreach (var node in new[] { "node-0", "node-1" })
        {
            var osi = await sandbox.Proxy.InstanceAsync(node);
            Assert.Equal(WellKnown.NodeStatuses.Upgrade, osi.Spec?.NodeStatus);
            Assert.Equal("fleet-upgrade", osi.Spec?.NamespacedName?.Name);
            Assert.Equal("default", osi.Spec?.NamespacedName?.Namespace);
        }
        Assert.Equal(WellKnown.NodeStatuses.Idle, (await sandbox.Proxy.InstanceAsync("node-2")).Spec?.NodeStatus);

        await OperatorSandbox.EventuallyAsync(async () =>
            (int?)(await sandbox.StatusOfAsync("fleet-upgrade"))?["counts"]?["inoperation"] == 2, "status counts two nodes in operation");
        var status = await sandbox.StatusOfAsync("fleet-upgrade");
        Assert.Equal(10, (int?)status!["counts"]!["inscope"]);
        Assert.Equal(8, (int?)status["counts"]!["pending"]);
        Assert.Equal(0, (int?)status["counts"]!["done"]);
        Assert.True(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Progressing));
        Assert.False(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Succeeded));
        Assert.False(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Blocked));
        Assert.Equal("None", (string?)OSStatusBuilder.ConditionOf(status, OSStatusBuilder.Blocked)?["reason"]);
        Assert.Equal(1, (long?)status["observedGeneration"]);

        // The proxy's part: finish the lowest labelled node each time; the operator refills the freed slot.
        var finished = new List<string>();
        while (finished.Count < OperatorSandbox.NodeCount)
        {
            var expected = Math.Min(2, OperatorSandbox.NodeCount - finished.Count);
            await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == expected,
                $"{expected} nodes are labelled after {finished.Count} finished");
            var next = (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading))[0];
            await sandbox.Proxy.CompleteUpgradeAsync(next, OperatorSandbox.TargetVersion);
            finished.Add(next);
        }

        await OperatorSandbox.EventuallyAsync(async () =>
            OSStatusBuilder.IsTrue(await sandbox.StatusOfAsync("fleet-upgrade"), OSStatusBuilder.Succeeded), "the OS reports Succeeded");
        status = await sandbox.StatusOfAsync("fleet-upgrade");
        Assert.Equal(10, (int?)status!["counts"]!["done"]);
        Assert.Equal(0, (int?)status["counts"]!["inoperation"]);
        Assert.False(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Progressing));

        Assert.Equal(OperatorSandbox.NodeNames.Order(StringComparer.Ordinal), finished);
        Assert.Equal(OperatorSandbox.NodeNames.Order(StringComparer.Ordinal), sampler.AssignmentOrder);
        Assert.Equal(2, sampler.Max);
        Assert.True(sampler.Events >= 30, $"the node watch saw {sampler.Events} events");
        Assert.Equal(10, op.Runtime.Activity.Assignments);
        // The Succeeded event follows the status write that the test has just seen.
        await OperatorSandbox.EventuallyAsync(async () => (await sandbox.EventsOfAsync("fleet-upgrade")).Any(e => e.Reason == "Succeeded"),
            "a Succeeded event on the OS");
        Assert.Equal(10, (await sandbox.EventsOfAsync("fleet-upgrade")).Count(e => e.Reason == "Assigned"));
    }
}
