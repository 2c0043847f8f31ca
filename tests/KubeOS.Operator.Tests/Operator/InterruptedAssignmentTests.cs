using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>An operator stopped between writing a node's OSInstance spec and labelling the node: its successor finishes the assignment.</summary>
public sealed class InterruptedAssignmentTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    [Fact]
    public async Task A_successor_labels_a_node_whose_assignment_was_cut_short_and_assigns_no_extra_node()
    {
        await using var sampler = await LabelSampler.StartAsync(sandbox.Client, WellKnown.Labels.Upgrading, OperatorSandbox.NodeCount);
        await sandbox.CreateAsync(OperatorSandbox.Upgrade("cut-upgrade", maxUnavailable: 2));
        // The first write of an assignment of node-4, as a previous operator made it before it stopped.
        var spec = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["nodestatus"] = WellKnown.NodeStatuses.Upgrade,
                ["namespacedname"] = new JsonObject { ["name"] = "cut-upgrade", ["namespace"] = "default" },
            },
        };
        await sandbox.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(spec.ToJsonString(), V1Patch.PatchType.MergePatch),
            WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, "node-4");

        await using var op = sandbox.StartOperator("op-successor");
        await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == 2, "two nodes are labelled");
        Assert.Equal(["node-0", "node-4"], await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));
        // Counters and events follow the label writes the test has just seen.
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(op.Runtime.Activity.Assignments == 1), "one new assignment was counted");
        await OperatorSandbox.EventuallyAsync(async () =>
            (await sandbox.EventsOfAsync("cut-upgrade")).Any(e => e.Reason == "Resumed" && e.Message.Contains("node-4")), "a Resumed event names node-4");
        Assert.Equal(2, sampler.Max);
    }
}
