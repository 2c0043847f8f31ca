using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Prestage;
using KubeOS.Operator.Revert;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

/// <summary>The operator's decisions for spec.prestage and onfailurebudget: revert.</summary>
public sealed class PrestageAndRevertPlannerTests
{
    private static OS Prestaged(int maxConcurrent = 2)
    {
        var os = Fleet.Upgrade(maxUnavailable: 1);
        os.Spec!.Prestage = new PrestageSpec { Enabled = true, MaxConcurrent = maxConcurrent };
        return os;
    }

    private static void Staged(Fleet fleet, OS os, string node, string state)
    {
        fleet.Instances[node].Status = new OSInstanceStatus
        {
            Prestage = new PrestageStatus { OS = PrestagePlanner.RequestOf(os).OS, OSVersion = os.Spec!.OSVersion, Checksum = os.Spec.Checksum, State = state },
        };
        fleet.Instances[node].Spec!.Prestage = PrestagePlanner.RequestOf(os);
    }

    [Fact]
    public void Nothing_is_assigned_while_nodes_stage_and_at_most_maxconcurrent_stage_at_once()
    {
        var fleet = Fleet.Of(5);
        var os = Prestaged(maxConcurrent: 2);
        var first = fleet.Decide(os);
        Assert.Equal(RolloutBlock.Prestaging, first.Block);
        Assert.Empty(first.Assignments);
        Assert.Equal(["node-01", "node-02"], first.Prestage.Select(m => m.Node));
        Assert.Equal("KubeOS v2", first.Prestage[0].Request.OSVersion);

        // Two asked, one of them done: one more may start.
        Staged(fleet, os, "node-01", PrestageStates.Staged);
        fleet.Instances["node-02"].Spec!.Prestage = PrestagePlanner.RequestOf(os);
        var second = fleet.Decide(os);
        Assert.Equal(["node-03"], second.Prestage.Select(m => m.Node));
        Assert.Contains("1 of 5 node(s) staged", second.Message);
    }

    [Fact]
    public void Staging_disrupts_nothing_so_it_runs_outside_the_time_window_but_not_while_paused()
    {
        var fleet = Fleet.Of(2);
        var os = Prestaged();
        os.Spec!.TimeWindow = new TimeWindow { StartTime = "01:00", EndTime = "02:00" };
        var outside = fleet.Decide(os);
        Assert.Equal(RolloutBlock.Prestaging, outside.Block);
        Assert.Equal(2, outside.Prestage.Count);

        foreach (var node in new[] { "node-01", "node-02" }) Staged(fleet, os, node, PrestageStates.Staged);
        Assert.Equal(RolloutBlock.OutsideTimeWindow, fleet.Decide(os).Block);

        var paused = Prestaged();
        paused.Spec!.Paused = true;
        var held = Fleet.Of(2).Decide(paused);
        Assert.Equal(RolloutBlock.Paused, held.Block);
        Assert.Empty(held.Prestage);
    }

    [Fact]
    public void Once_every_node_staged_or_failed_to_the_rollout_assigns_as_usual()
    {
        var fleet = Fleet.Of(3);
        var os = Prestaged();
        Staged(fleet, os, "node-01", PrestageStates.Staged);
        Staged(fleet, os, "node-02", PrestageStates.Failed);
        Staged(fleet, os, "node-03", PrestageStates.Staged);
        var decision = fleet.Decide(os);
        Assert.Equal(RolloutBlock.None, decision.Block);
        Assert.Empty(decision.Prestage);
        Assert.Equal(["node-01"], decision.Assignments.Select(a => a.Node));
    }

    [Fact]
    public void A_staged_image_of_another_target_does_not_count()
    {
        var fleet = Fleet.Of(1);
        var old = Prestaged();
        old.Spec!.OSVersion = "KubeOS v1.5";
        Staged(fleet, old, "node-01", PrestageStates.Staged);
        Assert.Equal(["node-01"], fleet.Decide(Prestaged()).Prestage.Select(m => m.Node));
    }

    [Fact]
    public void Without_prestage_or_for_other_operations_nothing_changes()
    {
        var fleet = Fleet.Of(2);
        Assert.Equal(RolloutBlock.None, fleet.Decide(Fleet.Upgrade()).Block);
        var config = Fleet.Config("KubeOS v1", "s2");
        config.Spec!.Prestage = new PrestageSpec { Enabled = true };
        Assert.Empty(fleet.Decide(config).Prestage);
    }

    private static Fleet Upgraded(OS os, params string[] nodes)
    {
        var fleet = Fleet.Of(4);
        foreach (var name in nodes)
        {
            fleet.Set(name, n => n with { OsImage = "KubeOS v2" });
            fleet.Instances[name].Status = new OSInstanceStatus
            {
                Phase = NodePhases.Succeeded,
                Operation = new NodeOperation
                {
                    OpsType = "upgrade", TargetVersion = "KubeOS v2", FromVersion = "KubeOS v1",
                    OS = new OperationOwner { Name = os.Metadata!.Name, Namespace = "default" },
                },
            };
        }
        return fleet;
    }

    [Fact]
    public void At_the_budget_revert_assigns_the_upgraded_nodes_a_rollback_maxunavailable_at_a_time()
    {
        var os = Fleet.Upgrade(maxUnavailable: 1);
        os.Spec!.MaxFailures = 1;
        os.Spec.OnFailureBudget = FailureBudgetActions.Revert;
        var fleet = Upgraded(os, "node-01", "node-02");
        fleet.Failed.Add("node-03");
        fleet.Instances["node-03"].Status = new OSInstanceStatus
        {
            Phase = NodePhases.Failed, Operation = new NodeOperation { FailureReason = NodeFailureReasons.HealthGateFailed },
        };
        fleet.Set("node-03", n => n with { Unschedulable = true });

        var decision = fleet.Decide(os);
        Assert.Equal(RolloutBlock.FailureBudgetExhausted, decision.Block);
        var revert = Assert.Single(decision.Assignments);
        Assert.Equal("node-01", revert.Node);
        Assert.Equal(("KubeOS v2", "KubeOS v1"), (revert.Spec.Revert!.FromVersion, revert.Spec.Revert.ToVersion));
        Assert.Equal(WellKnown.NodeStatuses.Upgrade, revert.Spec.NodeStatus);
        Assert.Contains("onfailurebudget is revert", decision.Message);

        os.Spec.OnFailureBudget = FailureBudgetActions.Halt;
        Assert.Empty(fleet.Decide(os).Assignments);
    }

    [Fact]
    public void A_node_held_cordoned_by_the_health_gate_takes_no_slot_but_a_hand_cordon_does()
    {
        var os = Fleet.Upgrade(maxUnavailable: 1);
        os.Spec!.MaxFailures = 3;
        var fleet = Fleet.Of(3);
        fleet.Failed.Add("node-01");
        fleet.Set("node-01", n => n with { Unschedulable = true });
        fleet.Instances["node-01"].Status = new OSInstanceStatus
        {
            Phase = NodePhases.Failed, Operation = new NodeOperation { FailureReason = NodeFailureReasons.HealthGateFailed },
        };
        Assert.Equal(["node-02"], fleet.Decide(os).Assignments.Select(a => a.Node));
        // Held the same way when the gate's rollback never rebooted the node.
        fleet.Instances["node-01"].Status!.Operation!.FailureReason = NodeFailureReasons.HealthGateRollbackTimeout;
        Assert.Equal(["node-02"], fleet.Decide(os).Assignments.Select(a => a.Node));

        fleet.Instances["node-01"].Status!.Operation!.FailureReason = NodeFailureReasons.DrainTimeout;
        Assert.Empty(fleet.Decide(os).Assignments);
    }

    [Fact]
    public void An_ordinary_assignment_never_carries_an_old_revert()
    {
        var fleet = Fleet.Of(1);
        fleet.Instances["node-01"].Spec!.Revert = new RevertRequest { FromVersion = "KubeOS v2", ToVersion = "KubeOS v1" };
        var spec = AssignmentBuilder.Build(Fleet.Upgrade(), fleet.Instances["node-01"]);
        Assert.Null(spec.Revert);
        Assert.False(RevertPlanner.UpgradedBy(Fleet.Upgrade(), fleet.Nodes[0], fleet.Instances["node-01"]));
    }
}
