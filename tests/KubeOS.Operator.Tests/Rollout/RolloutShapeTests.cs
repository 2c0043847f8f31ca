using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

/// <summary>maxunavailable as a percentage, the per-topology limit and stages with bake time, decided on fixed views.</summary>
public class RolloutShapeTests
{
    private const string Zone = "topology.kubernetes.io/zone";

    [Theory]
    [InlineData(10, 25, 2)]  // 2.5 rounds down
    [InlineData(10, 5, 1)]   // 0.5 rounds down to 0, but at least 1
    [InlineData(8, 50, 4)]
    [InlineData(3, 100, 3)]
    public void A_percentage_maxunavailable_resolves_rounded_down_and_at_least_one(int nodes, int percent, int expected)
    {
        var os = Fleet.Upgrade();
        os.Spec!.MaxUnavailable = IntOrPercent.OfPercent(percent);
        var decision = Fleet.Of(nodes).Decide(os);
        Assert.Equal(expected, decision.Assignments.Count);
    }

    [Fact]
    public void A_percentage_counts_nodes_already_out_like_an_integer_does()
    {
        var fleet = Fleet.Of(8).Set("node-01", n => n with { Unschedulable = true }).Label("node-02", WellKnown.Labels.Upgrading);
        fleet.Instances["node-02"].Spec!.NodeStatus = "upgrade";
        var os = Fleet.Upgrade();
        os.Spec!.MaxUnavailable = IntOrPercent.OfPercent(50); // 4 of 8
        var decision = fleet.Decide(os);
        // node-01 is out already (free), node-02 holds a slot: 4 - 2 busy = 2 more, plus the free one.
        Assert.Equal(["node-01", "node-03", "node-04"], decision.Assignments.Select(a => a.Node));
    }

    [Fact]
    public void A_plain_integer_manifest_decides_as_before()
    {
        var os = Fleet.Upgrade(maxUnavailable: 3);
        Assert.Equal(["node-01", "node-02", "node-03"], Fleet.Of(6).Decide(os).Assignments.Select(a => a.Node));
    }

    [Fact]
    public void At_most_one_node_per_zone_is_taken_out()
    {
        var fleet = Zoned(("node-01", "a"), ("node-02", "a"), ("node-03", "b"), ("node-04", "b"), ("node-05", "c"));
        var os = Fleet.Upgrade(maxUnavailable: 5);
        os.Spec!.TopologyLimit = new TopologyLimit { Key = Zone, MaxUnavailable = 1 };
        Assert.Equal(["node-01", "node-03", "node-05"], fleet.Decide(os).Assignments.Select(a => a.Node));
    }

    [Fact]
    public void A_zone_with_a_node_in_operation_gets_no_second_one()
    {
        var fleet = Zoned(("node-01", "a"), ("node-02", "a"), ("node-03", "b"), ("node-04", "b"));
        fleet.Label("node-01", WellKnown.Labels.Upgrading);
        fleet.Instances["node-01"].Spec!.NodeStatus = "upgrade";
        var os = Fleet.Upgrade(maxUnavailable: 4);
        os.Spec!.TopologyLimit = new TopologyLimit { Key = Zone };
        Assert.Equal(["node-03"], fleet.Decide(os).Assignments.Select(a => a.Node));
    }

    [Fact]
    public void Nodes_without_the_topology_label_are_limited_only_by_maxunavailable()
    {
        var fleet = Zoned(("node-01", "a"), ("node-02", "a")).Add("node-03", "KubeOS v1").Add("node-04", "KubeOS v1");
        var os = Fleet.Upgrade(maxUnavailable: 4);
        os.Spec!.TopologyLimit = new TopologyLimit { Key = Zone, MaxUnavailable = 1 };
        Assert.Equal(["node-01", "node-03", "node-04"], fleet.Decide(os).Assignments.Select(a => a.Node));
    }

    [Fact]
    public void The_canary_stage_starts_one_node_even_with_more_slots()
    {
        var os = Staged(bake: 60);
        var decision = Fleet.Of(10).Decide(os);
        Assert.Equal(["node-01"], decision.Assignments.Select(a => a.Node));
    }

    [Fact]
    public void The_next_stage_waits_while_the_canary_runs()
    {
        var fleet = Fleet.Of(10);
        Start(fleet, "node-01");
        Assert.Empty(fleet.Decide(Staged(bake: 60)).Assignments);
    }

    [Fact]
    public void The_next_stage_waits_for_the_bake_then_takes_its_share()
    {
        var fleet = Fleet.Of(10);
        Finish(fleet, "node-01", fleet.Now - TimeSpan.FromSeconds(30));
        var os = Staged(bake: 60);

        var baking = fleet.Decide(os);
        Assert.Empty(baking.Assignments);
        Assert.Equal(TimeSpan.FromSeconds(15), baking.RequeueAfter); // the bake ends in 30 s, later than the 15 s interval

        fleet.Now += TimeSpan.FromSeconds(31);
        // Stage two is 10% of the 10 nodes to change: one node, even with five slots.
        Assert.Equal(["node-02"], fleet.Decide(os).Assignments.Select(a => a.Node));
    }

    [Fact]
    public void A_bake_ending_sooner_than_the_interval_requeues_at_its_end()
    {
        var fleet = Fleet.Of(10);
        Finish(fleet, "node-01", fleet.Now - TimeSpan.FromSeconds(55));
        Assert.Equal(TimeSpan.FromSeconds(5), fleet.Decide(Staged(bake: 60)).RequeueAfter);
    }

    [Fact]
    public void The_last_stage_takes_the_rest_up_to_maxunavailable()
    {
        var fleet = Fleet.Of(10);
        Finish(fleet, "node-01", fleet.Now - TimeSpan.FromHours(1));
        Finish(fleet, "node-02", fleet.Now - TimeSpan.FromHours(1));
        Assert.Equal(["node-03", "node-04", "node-05", "node-06", "node-07"], fleet.Decide(Staged(bake: 60)).Assignments.Select(a => a.Node));
    }

    [Fact]
    public void Serial_mode_forms_no_batch_beyond_the_stage()
    {
        var os = Staged(bake: 0);
        os.Spec!.ExecutionMode = WellKnown.ExecutionModes.Serial;
        var decision = Fleet.Of(10).Decide(os);
        Assert.Equal(["node-01"], decision.LabelChanges.Where(c => c.Add).Select(c => c.Node));
        Assert.Equal(["node-01"], decision.Assignments.Select(a => a.Node));
    }

    private static OS Staged(int bake)
    {
        var os = Fleet.Upgrade(maxUnavailable: 5);
        os.Spec!.Stages = [new RolloutStage { Nodes = 1, Bake = bake }, new RolloutStage { Percent = "10%", Bake = bake }];
        return os;
    }

    private static Fleet Zoned(params (string Node, string Zone)[] nodes)
    {
        var fleet = new Fleet();
        foreach (var (node, zone) in nodes) fleet.Add(node, "KubeOS v1", new Dictionary<string, string> { [Zone] = zone });
        return fleet;
    }

    /// <summary>The node is assigned and its proxy recorded the operation.</summary>
    private static void Start(Fleet fleet, string node)
    {
        fleet.Label(node, WellKnown.Labels.Upgrading);
        fleet.Instances[node].Spec!.NodeStatus = "upgrade";
        fleet.Instances[node].Status = new OSInstanceStatus { Phase = NodePhases.Draining, Operation = Operation(fleet.Now) };
    }

    /// <summary>The node ran the operation to the target and was released at <paramref name="at"/>.</summary>
    private static void Finish(Fleet fleet, string node, DateTimeOffset at)
    {
        fleet.Set(node, n => n with { OsImage = "KubeOS v2" });
        fleet.Instances[node].Status = new OSInstanceStatus { Phase = NodePhases.Succeeded, Operation = Operation(at) };
    }

    private static NodeOperation Operation(DateTimeOffset phaseStartedAt) => new()
    {
        OpsType = "upgrade", TargetVersion = "KubeOS v2", FromVersion = "KubeOS v1",
        OS = new OperationOwner { Name = "os-upgrade", Namespace = "default" },
        StartedAt = phaseStartedAt - TimeSpan.FromMinutes(2), PhaseStartedAt = phaseStartedAt,
    };
}
