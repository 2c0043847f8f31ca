using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Operator.Rollout;
using KubeOS.Operator.Status;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>spec.paused on a live OS object: no new node while true, work in flight finishes, false resumes.</summary>
public sealed class PausedRolloutTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    private const string Name = "paused-upgrade";

    [Fact]
    public async Task Patching_paused_stops_new_assignments_and_unpausing_resumes()
    {
        await using var op = sandbox.StartOperator("op-paused");
        var os = OperatorSandbox.Upgrade(Name, maxUnavailable: 2);
        os.Spec!.Paused = true;
        await sandbox.CreateAsync(os);

        await OperatorSandbox.EventuallyAsync(async () =>
            OSStatusBuilder.IsTrue(await sandbox.StatusOfAsync(Name), OSStatusBuilder.Blocked), "the paused OS is Blocked");
        var blocked = OSStatusBuilder.ConditionOf(await sandbox.StatusOfAsync(Name), OSStatusBuilder.Blocked)!;
        Assert.Equal(nameof(RolloutBlock.Paused), (string?)blocked["reason"]);
        Assert.Equal(10, (int?)(await sandbox.StatusOfAsync(Name))!["counts"]!["pending"]);
        Assert.Empty(await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));

        await PatchPausedAsync(false);
        await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == 2,
            "two nodes are assigned after unpausing");
        Assert.Equal(["node-0", "node-1"], await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));

        // Pause with two nodes in flight: one finishes, and its slot stays empty while paused.
        await PatchPausedAsync(true);
        await OperatorSandbox.EventuallyAsync(async () =>
            (string?)OSStatusBuilder.ConditionOf(await sandbox.StatusOfAsync(Name), OSStatusBuilder.Blocked)?["reason"] == nameof(RolloutBlock.Paused),
            "the status says Paused again");
        await sandbox.Proxy.CompleteUpgradeAsync("node-0", OperatorSandbox.TargetVersion);
        await OperatorSandbox.EventuallyAsync(async () => (int?)(await sandbox.StatusOfAsync(Name))?["counts"]?["done"] == 1,
            "the finished node is counted done");
        var passes = op.Runtime.Activity.Passes;
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(op.Runtime.Activity.Passes >= passes + 2), "two more passes ran");
        Assert.Equal(["node-1"], await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));
        var status = await sandbox.StatusOfAsync(Name);
        Assert.Equal(1, (int?)status!["counts"]!["inoperation"]);
        Assert.Equal(8, (int?)status["counts"]!["pending"]);
        Assert.Equal(2, op.Runtime.Activity.Assignments);

        await PatchPausedAsync(false);
        await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == 2,
            "the freed slot is refilled after unpausing");
        Assert.Equal(["node-1", "node-2"], await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));
        await OperatorSandbox.EventuallyAsync(async () =>
            !OSStatusBuilder.IsTrue(await sandbox.StatusOfAsync(Name), OSStatusBuilder.Blocked), "the Blocked condition clears");
    }

    private Task PatchPausedAsync(bool paused)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["paused"] = paused } };
        return sandbox.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            WellKnown.Group, WellKnown.Version, "default", WellKnown.OSPlural, Name);
    }
}
