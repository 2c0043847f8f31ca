using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Planning;
using KubeOS.Operator.Rollout;
using KubeOS.Operator.Status;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

/// <summary>The plan forecast from a cluster view: batches in the operator's order, blocking budgets, ETA.</summary>
public class UpgradePlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parallel_batches_follow_the_operator_s_order_with_the_default_duration()
    {
        var fleet = Fleet.Of(5);
        var plan = Plan(fleet, Fleet.Upgrade(maxUnavailable: 2));
        Assert.Equal([["node-01", "node-02"], ["node-03", "node-04"], ["node-05"]], plan.Batches.Select(b => b.Nodes));
        Assert.False(plan.Measured);
        Assert.Equal(DurationEstimate.DefaultPerNode, plan.PerNode);
        Assert.Equal(DurationEstimate.DefaultPerNode * 3, plan.Eta);
        Assert.Equal(Now + plan.Eta, plan.FinishesAt);
        // The first batch is exactly what the operator assigns now.
        Assert.Equal(fleet.Decide(Fleet.Upgrade(maxUnavailable: 2)).Assignments.Select(a => a.Node), plan.NextNodes);
    }

    [Fact]
    public void Stages_make_their_own_batches_with_the_bake_before_the_next()
    {
        var os = Fleet.Upgrade(maxUnavailable: 3);
        os.Spec!.Stages = [new RolloutStage { Nodes = 1, Bake = 600 }, new RolloutStage { Percent = "20%", Bake = 300 }];
        var plan = Plan(Fleet.Of(10), os);
        Assert.Equal([["node-01"], ["node-02", "node-03"], ["node-04", "node-05", "node-06"], ["node-07", "node-08", "node-09"], ["node-10"]],
            plan.Batches.Select(b => b.Nodes));
        Assert.Equal("canary (1 node)", plan.Batches[0].Stage);
        Assert.Equal("stage 2 of 3 (2 nodes)", plan.Batches[1].Stage);
        Assert.Equal(TimeSpan.FromMinutes(10), plan.Batches[1].BakeBefore);
        Assert.Equal(TimeSpan.FromMinutes(5), plan.Batches[2].BakeBefore);
        Assert.Equal(TimeSpan.Zero, plan.Batches[3].BakeBefore);
        Assert.Equal(TimeSpan.FromMinutes(5 + 10 + 5), plan.Batches[2].StartsAfter - TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(5 * 5 + 15), plan.Eta);
    }

    [Fact]
    public void A_topology_limit_spreads_batches_over_zones()
    {
        var fleet = new Fleet();
        foreach (var (node, zone) in new[] { ("node-01", "a"), ("node-02", "a"), ("node-03", "b"), ("node-04", "b") })
            fleet.Add(node, "KubeOS v1", new Dictionary<string, string> { ["zone"] = zone });
        var os = Fleet.Upgrade(maxUnavailable: 4);
        os.Spec!.TopologyLimit = new TopologyLimit { Key = "zone", MaxUnavailable = 1 };
        var plan = Plan(fleet, os);
        Assert.Equal([["node-01", "node-03"], ["node-02", "node-04"]], plan.Batches.Select(b => b.Nodes));
    }

    [Fact]
    public void Serial_batches_take_a_node_s_time_per_node()
    {
        var plan = Plan(Fleet.Of(3), Fleet.Upgrade(maxUnavailable: 2, mode: WellKnown.ExecutionModes.Serial));
        Assert.Equal([["node-01", "node-02"], ["node-03"]], plan.Batches.Select(b => b.Nodes));
        Assert.Equal(DurationEstimate.DefaultPerNode * 3, plan.Eta);
    }

    [Fact]
    public void The_eta_uses_measured_durations_of_finished_nodes()
    {
        var fleet = Fleet.Of(3);
        fleet.Set("node-01", n => n with { OsImage = "KubeOS v2" });
        fleet.Instances["node-01"].Status = new OSInstanceStatus
        {
            Phase = NodePhases.Succeeded,
            History =
            [
                new NodeHistoryEntry
                {
                    OpsType = "upgrade", Result = NodePhases.Succeeded, StartedAt = Now.AddMinutes(-10), FinishedAt = Now.AddMinutes(-8),
                    PhaseDurations = new Dictionary<string, double> { ["Draining"] = 40, ["Rebooting"] = 60 },
                },
            ],
        };
        var plan = Plan(fleet, Fleet.Upgrade(maxUnavailable: 1));
        Assert.True(plan.Measured);
        Assert.Equal(TimeSpan.FromMinutes(2), plan.PerNode);
        Assert.Equal(TimeSpan.FromSeconds(40), plan.PhaseDurations["Draining"]);
        Assert.Equal(1, plan.Done);
        Assert.Equal(TimeSpan.FromMinutes(4), plan.Eta);
    }

    [Fact]
    public void Budgets_allowing_no_disruption_on_nodes_still_to_drain_are_named()
    {
        var nodes = PlanNodes.Of(Fleet.Of(2).View(Fleet.Upgrade()));
        var budgets = new[]
        {
            new PlanBudget("apps", "db", 0, [new PlanPod("apps", "db-0", "node-02")]),
            new PlanBudget("apps", "web", 1, [new PlanPod("apps", "web-0", "node-01")]),
            new PlanBudget("apps", "gone", 0, [new PlanPod("apps", "x", "node-99")]),
        };
        var plan = UpgradePlanner.Plan(Fleet.Upgrade(), nodes, DurationEstimate.From([], "upgrade"), Now, budgets);
        var blocker = Assert.Single(plan.BlockingBudgets);
        Assert.Equal("apps/db", blocker.Budget);
        Assert.Equal(["apps/db-0"], blocker.Pods);
        Assert.Equal(["node-02"], blocker.Nodes);
    }

    [Fact]
    public void The_status_summary_names_batches_next_nodes_and_eta_in_minutes()
    {
        var summary = PlanSummary.Build(Fleet.Of(5).View(Fleet.Upgrade(maxUnavailable: 2)));
        Assert.Equal(3, (int)summary["batches"]!);
        Assert.Equal(["node-01", "node-02"], summary["nextbatch"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("15m", (string?)summary["eta"]);
        Assert.Equal("300s", (string?)summary["pernode"]);
        Assert.False((bool)summary["measured"]!);
    }

    [Fact]
    public void The_status_summary_is_the_same_on_every_pass_while_nothing_changes()
    {
        var fleet = Fleet.Of(4);
        var os = Fleet.Upgrade(maxUnavailable: 1);
        var first = PlanSummary.Build(fleet.View(os));
        fleet.Now += TimeSpan.FromMinutes(3);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(first, PlanSummary.Build(fleet.View(os))));
    }

    [Fact]
    public void A_plan_made_while_a_stage_bakes_starts_the_next_batch_when_the_bake_ends()
    {
        var fleet = Fleet.Of(3);
        fleet.Now = Now;
        fleet.Set("node-01", n => n with { OsImage = "KubeOS v2" });
        fleet.Instances["node-01"].Status = new OSInstanceStatus
        {
            Phase = NodePhases.Succeeded,
            Operation = new NodeOperation
            {
                OpsType = "upgrade", TargetVersion = "KubeOS v2", OS = new OperationOwner { Name = "os-upgrade", Namespace = "default" },
                StartedAt = Now.AddMinutes(-3), PhaseStartedAt = Now.AddMinutes(-1),
            },
        };
        var os = Fleet.Upgrade(maxUnavailable: 2);
        os.Spec!.Stages = [new RolloutStage { Nodes = 1, Bake = 300 }];
        var plan = Plan(fleet, os);
        var batch = Assert.Single(plan.Batches);
        Assert.Equal(["node-02", "node-03"], batch.Nodes);
        Assert.Equal(TimeSpan.FromMinutes(4), batch.BakeBefore); // 5 minutes from the canary's finish, one gone
        Assert.Equal(TimeSpan.FromMinutes(4), batch.StartsAfter);
    }

    private static UpgradePlan Plan(Fleet fleet, OS os)
    {
        fleet.Now = Now;
        var view = fleet.View(os);
        return UpgradePlanner.Plan(os, PlanNodes.Of(view), DurationEstimate.From(PlanNodes.History(view), os.Spec?.OpsType), Now);
    }
}
