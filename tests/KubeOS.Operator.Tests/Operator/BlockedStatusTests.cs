using k8s;
using KubeOS.Api;
using KubeOS.Operator.Rollout;
using KubeOS.Operator.Status;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>A rollout that cannot proceed says why on the OS object: the Blocked condition and a Warning event.</summary>
public sealed class BlockedStatusTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    [Fact]
    public async Task Two_OS_objects_with_one_nodeselector_are_both_blocked_and_nothing_is_assigned()
    {
        await using var op = sandbox.StartOperator("op-blocked");
        await sandbox.CreateAsync(OperatorSandbox.Upgrade("first", maxUnavailable: 2, nodeSelector: "group-a"));
        await sandbox.CreateAsync(OperatorSandbox.Upgrade("second", maxUnavailable: 2, ns: "upgrade-system", nodeSelector: "group-a"));

        foreach (var (name, ns) in new[] { ("first", "default"), ("second", "upgrade-system") })
        {
            await OperatorSandbox.EventuallyAsync(async () =>
                OSStatusBuilder.IsTrue(await sandbox.StatusOfAsync(name, ns), OSStatusBuilder.Blocked), $"{ns}/{name} is Blocked");
            var blocked = OSStatusBuilder.ConditionOf(await sandbox.StatusOfAsync(name, ns), OSStatusBuilder.Blocked)!;
            Assert.Equal(nameof(RolloutBlock.SelectorConflict), (string?)blocked["reason"]);
            Assert.Contains("group-a", (string?)blocked["message"]);
            Assert.False(OSStatusBuilder.IsTrue(await sandbox.StatusOfAsync(name, ns), OSStatusBuilder.Progressing));
            await OperatorSandbox.EventuallyAsync(async () =>
                (await sandbox.EventsOfAsync(name, ns)).Any(e => e.Type == "Warning" && e.Reason == nameof(RolloutBlock.SelectorConflict)),
                $"a Warning event on {ns}/{name}");
        }

        // Blocked is reported once, not on every pass, and an unchanged status is not rewritten.
        var passes = op.Runtime.Activity.Passes;
        var version = await ResourceVersionAsync("first");
        await sandbox.Client.CoreV1.PatchNodeAsync(new k8s.Models.V1Patch("{\"metadata\":{\"labels\":{\"touch\":\"1\"}}}", k8s.Models.V1Patch.PatchType.MergePatch), "node-0");
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(op.Runtime.Activity.Passes > passes), "another pass ran");
        Assert.Single(await sandbox.EventsOfAsync("first"), e => e.Reason == nameof(RolloutBlock.SelectorConflict));
        Assert.Equal(version, await ResourceVersionAsync("first"));
        Assert.Empty(await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));
        Assert.Equal(0, op.Runtime.Activity.Assignments);
    }

    private async Task<string?> ResourceVersionAsync(string name)
    {
        var raw = await sandbox.Client.CustomObjects.GetNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version, "default", WellKnown.OSPlural, name);
        return (string?)System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(raw))?["metadata"]?["resourceVersion"];
    }
}
