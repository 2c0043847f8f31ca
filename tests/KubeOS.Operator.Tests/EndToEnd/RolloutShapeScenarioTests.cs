using System.Text.Json.Nodes;
using k8s;
using KubeOS.Api.Models;
using KubeOS.Api.Planning;
using KubeOS.Operator.Cluster;
using KubeOS.Operator.Rollout;
using KubeOS.Operator.Tests.Operator;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// Rollout shapes through the real operator and proxies: a percentage maxunavailable, one node per zone, stages with
/// bake time (whose order the plan forecast), and a weekday window in a named time zone.
/// </summary>
public sealed class RolloutShapeScenarioTests
{
    private const string Zone = "topology.kubernetes.io/zone";

    [Fact]
    public async Task A_percentage_maxunavailable_holds_at_every_watch_event()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 8);
        await using var recorder = await RolloutRecorder.StartAsync(cluster.Client, 8);

        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1);
        os.Spec!.MaxUnavailable = IntOrPercent.OfPercent(25); // 2 of 8
        await cluster.CreateAsync(os);
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node upgraded", TimeSpan.FromSeconds(60));

        foreach (var name in cluster.NodeNames) Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
        Assert.Equal(2, recorder.Max);
    }

    [Fact]
    public async Task At_most_one_node_per_zone_is_out_at_any_watch_event()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 6, beforeProxies: async c =>
        {
            for (var i = 0; i < c.NodeNames.Count; i++) await c.LabelAsync(c.NodeNames[i], Zone, i < 3 ? "zone-a" : "zone-b");
        });
        await using var recorder = await RolloutRecorder.StartAsync(cluster.Client, 6);

        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 6);
        os.Spec!.TopologyLimit = new TopologyLimit { Key = Zone, MaxUnavailable = 1 };
        await cluster.CreateAsync(os);
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node upgraded", TimeSpan.FromSeconds(60));

        foreach (var name in cluster.NodeNames) Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
        Assert.Equal(1, recorder.MaxInGroup);
        Assert.Equal(2, recorder.Max); // both zones worked at once
    }

    [Fact]
    public async Task Stages_run_canary_then_ten_percent_then_the_rest_with_bake_time_in_the_planned_order()
    {
        var bake = TimeSpan.FromSeconds(3);
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 10);
        await using var recorder = await RolloutRecorder.StartAsync(cluster.Client, 10);

        var os = EndToEndCluster.Upgrade("staged", maxUnavailable: 4);
        os.Spec!.Stages = [new RolloutStage { Nodes = 1, Bake = 3 }, new RolloutStage { Percent = "10%", Bake = 3 }];
        // The plan, made from the cluster as it is before the OS exists.
        var nodes = (await cluster.Client.CoreV1.ListNodeAsync()).Items.Select(NodeViews.From).ToList();
        var view = new ClusterView(os, [os], nodes, (await cluster.InstancesAsync()).ToDictionary(i => i.Metadata!.Name!), DateTimeOffset.UtcNow);
        var plan = UpgradePlanner.Plan(os, PlanNodes.Of(view), DurationEstimate.From([], "upgrade"), view.Now);
        Assert.Equal(["canary (1 node)", "stage 2 of 3 (1 node)", "stage 3 of 3 (8 nodes)", "stage 3 of 3 (8 nodes)"], plan.Batches.Select(b => b.Stage));

        await cluster.CreateAsync(os);
        await OperatorSandbox.EventuallyAsync(async () => (await cluster.StatusOfAsync("staged"))?["plan"] is JsonObject, "the operator wrote a plan");
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node upgraded", TimeSpan.FromSeconds(90));

        // The operator took the nodes in the planned order, stage by stage.
        var starts = recorder.Starts;
        Assert.Equal(plan.Batches.SelectMany(b => b.Nodes), starts.Select(s => s.Node));
        var finished = new Dictionary<string, DateTimeOffset>();
        foreach (var name in cluster.NodeNames)
            finished[name] = Assert.Single((await cluster.InstanceAsync(name)).Status!.History!).FinishedAt!.Value;

        // A stage starts only once every node of the one before has finished and the bake has passed (finish times
        // are recorded to the second, hence the one-second allowance).
        var canary = plan.Batches[0].Nodes.Single();
        var second = plan.Batches[1].Nodes.Single();
        var rest = plan.Batches.Skip(2).SelectMany(b => b.Nodes).ToList();
        Assert.True(At(starts, second) >= finished[canary] + bake - TimeSpan.FromSeconds(1), $"{second} started before the canary baked");
        Assert.All(rest, n => Assert.True(At(starts, n) >= finished[second] + bake - TimeSpan.FromSeconds(1), $"{n} started before stage 2 baked"));
        Assert.True(recorder.Max <= 4);
        var summary = (await cluster.StatusOfAsync("staged"))!["plan"]!;
        Assert.Equal(0, (int)summary["batches"]!);
        Assert.True((bool)summary["measured"]!);
    }

    [Fact]
    public async Task A_window_on_other_weekdays_holds_the_rollout_until_today_is_listed()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 2);
        var zone = "Pacific/Kiritimati"; // UTC+14: its weekday differs from UTC's for part of each day
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).DayOfWeek;
        var others = Enum.GetValues<DayOfWeek>().Where(d => d != today && d != (DayOfWeek)(((int)today + 1) % 7)).Select(Weekdays.Short).ToList();

        var os = EndToEndCluster.Upgrade("windowed", maxUnavailable: 2);
        os.Spec!.TimeWindow = new TimeWindow { StartTime = "00:00:00", EndTime = "23:59:59", Weekdays = others, TimeZone = zone };
        await cluster.CreateAsync(os);
        await OperatorSandbox.EventuallyAsync(async () =>
            OSStatusCondition(await cluster.StatusOfAsync("windowed"), "Blocked")?["reason"]?.GetValue<string>() == "OutsideTimeWindow",
            "the rollout is blocked outside the window");
        var blocked = OSStatusCondition(await cluster.StatusOfAsync("windowed"), "Blocked")!;
        Assert.Contains(zone, (string?)blocked["message"]);
        Assert.Contains(" on ", (string?)blocked["message"]);
        foreach (var name in cluster.NodeNames) Assert.Equal("idle", (await cluster.InstanceAsync(name)).Spec?.NodeStatus);

        await cluster.PatchSpecAsync("windowed", new JsonObject
        {
            ["timewindow"] = new JsonObject
            {
                ["starttime"] = "00:00:00", ["endtime"] = "23:59:59", ["timezone"] = zone,
                ["weekdays"] = new JsonArray(Enum.GetValues<DayOfWeek>().Select(d => (JsonNode)JsonValue.Create(Weekdays.Short(d))).ToArray()),
            },
        });
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "both nodes upgraded once today is listed", TimeSpan.FromSeconds(40));
        foreach (var name in cluster.NodeNames) Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
    }

    private static DateTimeOffset At(IReadOnlyList<(string Node, DateTimeOffset At)> starts, string node) => starts.Single(s => s.Node == node).At;

    private static JsonObject? OSStatusCondition(JsonObject? status, string type) =>
        (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
}
