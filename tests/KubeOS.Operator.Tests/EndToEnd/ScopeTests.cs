using System.Globalization;
using System.Text.Json.Nodes;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;
using KubeOS.Operator.Status;
using KubeOS.Operator.Tests.Operator;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>Which nodes a rollout touches, and when: a nodeselector group only; nothing outside the time window.</summary>
public sealed class ScopeTests
{
    [Fact]
    public async Task Only_the_nodes_of_the_selected_group_are_upgraded()
    {
        string[] group = ["node-1", "node-3"];
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 4, beforeProxies: async c =>
        {
            foreach (var node in group) await c.LabelAsync(node, WellKnown.Labels.NodeSelector, "gpu");
        });
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 4);

        await cluster.CreateAsync(OperatorSandbox.Upgrade("gpu-upgrade", maxUnavailable: 2, nodeSelector: "gpu"));
        await cluster.WaitUntilSettledAsync(group, "the group finished the upgrade", TimeSpan.FromSeconds(30));
        await OperatorSandbox.EventuallyAsync(async () =>
            OSStatusBuilder.IsTrue(await cluster.StatusOfAsync("gpu-upgrade"), OSStatusBuilder.Succeeded), "the OS reports Succeeded");

        foreach (var node in group)
            Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(node)).Status.NodeInfo.OsImage);
        foreach (var node in new[] { "node-0", "node-2" })
        {
            Assert.Equal(EndToEndCluster.V1, (await cluster.NodeAsync(node)).Status.NodeInfo.OsImage);
            var osi = await cluster.InstanceAsync(node);
            Assert.Equal(WellKnown.NodeStatuses.Idle, osi.Spec?.NodeStatus);
            Assert.Null(osi.Status?.Operation);
        }
        Assert.Equal(group.ToHashSet(), sampler.EverCordoned);
        Assert.Equal(2, (int?)(await cluster.StatusOfAsync("gpu-upgrade"))!["counts"]!["inscope"]);
    }

    [Fact]
    public async Task Outside_the_time_window_nothing_starts_and_the_rollout_begins_when_it_opens()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 3);
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 3);
        // The test operator reads windows in UTC; a daily window two to three hours from now is closed now.
        var now = DateTime.UtcNow;
        var os = EndToEndCluster.Upgrade("windowed", maxUnavailable: 3);
        os.Spec!.TimeWindow = new TimeWindow { StartTime = Clock(now.AddHours(2)), EndTime = Clock(now.AddHours(3)) };

        await cluster.CreateAsync(os);
        await OperatorSandbox.EventuallyAsync(async () =>
            (string?)OSStatusBuilder.ConditionOf(await cluster.StatusOfAsync("windowed"), OSStatusBuilder.Blocked)?["reason"] == nameof(RolloutBlock.OutsideTimeWindow),
            "the OS is blocked outside its window");
        var passes = cluster.Operator.Runtime.Activity.Passes;
        await cluster.LabelAsync("node-0", "touch", "1");
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(cluster.Operator.Runtime.Activity.Passes >= passes + 2), "two more passes ran");
        Assert.Equal(0, sampler.Max);
        Assert.Equal(0, cluster.Operator.Runtime.Activity.Assignments);
        foreach (var node in cluster.NodeNames)
        {
            var osi = await cluster.InstanceAsync(node);
            Assert.Equal(WellKnown.NodeStatuses.Idle, osi.Spec?.NodeStatus);
            Assert.Null(osi.Status?.Operation);
        }
        Assert.Equal(3, (int?)(await cluster.StatusOfAsync("windowed"))!["counts"]!["pending"]);

        // Move the window over the present: the rollout starts and finishes.
        await cluster.PatchSpecAsync("windowed", new JsonObject
        {
            ["timewindow"] = new JsonObject { ["starttime"] = Clock(now.AddHours(-1)), ["endtime"] = Clock(now.AddHours(1)) },
        });
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "the rollout ran once the window opened", TimeSpan.FromSeconds(30));
        foreach (var node in cluster.NodeNames)
            Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(node)).Status.NodeInfo.OsImage);
    }

    private static string Clock(DateTime t) => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
