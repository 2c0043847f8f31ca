using KubeOS.Api;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

public class ParallelModeTests
{
    [Fact]
    public void Assigns_up_to_maxunavailable_nodes_in_name_order_and_requeues_after_timeinterval()
    {
        var fleet = Fleet.Of(10);
        var os = Fleet.Upgrade(maxUnavailable: 2);
        os.Spec!.TimeInterval = 30;

        var decision = fleet.Decide(os);

        Assert.Equal(RolloutBlock.None, decision.Block);
        Assert.Equal(["node-01", "node-02"], decision.Assignments.Select(a => a.Node));
        Assert.All(decision.Assignments, a => Assert.Equal(WellKnown.Labels.Upgrading, a.OperationLabel));
        Assert.Equal(TimeSpan.FromSeconds(30), decision.RequeueAfter);
        Assert.Equal(new RolloutCounts(10, 0, 0, 10, 0, 0, 0), decision.Counts);
    }

    [Fact]
    public void Default_timeinterval_is_15_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), Fleet.Of(3).Decide(Fleet.Upgrade()).RequeueAfter);
    }

    [Fact]
    public void Nodes_carrying_the_operation_label_use_up_slots()
    {
        var fleet = Fleet.Of(5).Label("node-03", WellKnown.Labels.Upgrading);
        var decision = fleet.Decide(Fleet.Upgrade(maxUnavailable: 2));
        Assert.Equal(["node-01"], decision.Assignments.Select(a => a.Node));
    }

    [Fact]
    public void An_instance_assigned_without_its_label_still_uses_a_slot()
    {
        // The operator writes the OSInstance and the label separately; a crash between the two must not free a slot.
        var fleet = Fleet.Of(5);
        fleet.Instances["node-04"].Spec!.NodeStatus = WellKnown.NodeStatuses.Upgrade;
        fleet.Label("node-05", WellKnown.Labels.Upgrading);

        Assert.Empty(fleet.Decide(Fleet.Upgrade(maxUnavailable: 2)).Assignments);
    }

    [Fact]
    public void Cordoned_or_NotReady_nodes_count_as_unavailable_for_upgrades()
    {
        var fleet = Fleet.Of(4).Set("node-01", n => n with { Unschedulable = true }).Set("node-02", n => n with { Ready = false });
        // node-01 and node-02 use both slots; node-01 is upgraded anyway (no extra node goes out of service),
        // node-02 is not Ready so its proxy could not act.
        Assert.Equal(["node-01"], fleet.Decide(Fleet.Upgrade(maxUnavailable: 2)).Assignments.Select(a => a.Node));
        Assert.Equal(["node-01", "node-03"], fleet.Decide(Fleet.Upgrade(maxUnavailable: 3)).Assignments.Select(a => a.Node));
    }

    [Fact]
    public void A_hand_cordoned_node_is_taken_first_without_using_another_slot()
    {
        var fleet = Fleet.Of(4).Set("node-04", n => n with { Unschedulable = true });
        var decision = fleet.Decide(Fleet.Upgrade(maxUnavailable: 2));
        Assert.Equal(["node-04", "node-01"], decision.Assignments.Select(a => a.Node));
    }

    [Fact]
    public void A_cordoned_node_already_on_the_target_still_uses_a_slot()
    {
        var fleet = Fleet.Of(3).Set("node-01", n => n with { Unschedulable = true, OsImage = "KubeOS v2" });
        Assert.Equal(["node-02"], fleet.Decide(Fleet.Upgrade(maxUnavailable: 2)).Assignments.Select(a => a.Node));
    }

    [Fact]
    public void Nodes_already_on_the_wanted_version_are_done_and_not_assigned()
    {
        var fleet = Fleet.Of(3);
        fleet.Add("node-00", "KubeOS v2");
        var decision = fleet.Decide(Fleet.Upgrade(maxUnavailable: 5));
        Assert.Equal(["node-01", "node-02", "node-03"], decision.Assignments.Select(a => a.Node));
        Assert.Equal(1, decision.Counts.Done);
    }

    [Fact]
    public void The_limit_never_exceeds_the_number_of_selected_nodes()
    {
        var decision = Fleet.Of(2).Decide(Fleet.Upgrade(maxUnavailable: 50));
        Assert.Equal(2, decision.Assignments.Count);
    }

    [Fact]
    public void Nodes_without_an_OSInstance_are_skipped_and_counted()
    {
        var fleet = Fleet.Of(2);
        fleet.Add("node-00", "KubeOS v1", withInstance: false);
        var decision = fleet.Decide(Fleet.Upgrade(maxUnavailable: 3));
        Assert.Equal(["node-01", "node-02"], decision.Assignments.Select(a => a.Node));
        Assert.Equal(1, decision.Counts.WithoutInstance);
        Assert.False(decision.Counts.Complete);
    }

    [Fact]
    public void Failed_nodes_are_not_assigned_again()
    {
        var fleet = Fleet.Of(3);
        fleet.Failed.Add("node-01");
        var decision = fleet.Decide(Fleet.Upgrade(maxUnavailable: 3));
        Assert.Equal(["node-02", "node-03"], decision.Assignments.Select(a => a.Node));
        Assert.Equal(1, decision.Counts.Failed);
    }

    [Fact]
    public void Zero_maxunavailable_assigns_nothing()
    {
        Assert.Empty(Fleet.Of(3).Decide(Fleet.Upgrade(maxUnavailable: 0)).Assignments);
    }

    [Fact]
    public void A_finished_rollout_reports_complete()
    {
        var fleet = Fleet.Of(3, version: "KubeOS v2");
        var decision = fleet.Decide(Fleet.Upgrade());
        Assert.Empty(decision.Assignments);
        Assert.True(decision.Counts.Complete);
        Assert.Equal(3, decision.Counts.Done);
    }
}
