using KubeOS.Api;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

public class SerialModeTests
{
    private static readonly KubeOS.Api.Models.OS Serial = Fleet.Upgrade(maxUnavailable: 2, mode: WellKnown.ExecutionModes.Serial);

    [Fact]
    public void Forms_a_batch_of_maxunavailable_nodes_and_starts_exactly_one()
    {
        var decision = Fleet.Of(5).Decide(Serial);

        Assert.Equal(["node-01", "node-02"],
            decision.LabelChanges.Where(c => c.Add && c.Label == WellKnown.Labels.Serial).Select(c => c.Node));
        Assert.Equal(["node-01"], decision.Assignments.Select(a => a.Node));
        Assert.Equal(RolloutPlanner.ShortRequeue, decision.RequeueAfter);
    }

    [Fact]
    public void Waits_while_a_node_is_in_operation()
    {
        var fleet = Fleet.Of(5).Label("node-01", WellKnown.Labels.Serial).Label("node-02", WellKnown.Labels.Serial)
            .Label("node-01", WellKnown.Labels.Upgrading);
        var decision = fleet.Decide(Serial);
        Assert.Empty(decision.Assignments);
        Assert.Empty(decision.LabelChanges);
        Assert.Equal(RolloutPlanner.ShortRequeue, decision.RequeueAfter);
    }

    [Fact]
    public void Continues_inside_the_batch_before_starting_another()
    {
        var fleet = Fleet.Of(5).Label("node-01", WellKnown.Labels.Serial).Label("node-02", WellKnown.Labels.Serial)
            .Set("node-01", n => n with { OsImage = "KubeOS v2" });
        var decision = fleet.Decide(Serial);
        Assert.Equal(["node-02"], decision.Assignments.Select(a => a.Node));
        Assert.DoesNotContain(decision.LabelChanges, c => c.Add);
    }

    [Fact]
    public void A_hand_cordoned_node_does_not_hold_up_the_rollout()
    {
        var fleet = Fleet.Of(3).Set("node-02", n => n with { Unschedulable = true });
        var decision = fleet.Decide(Serial);
        Assert.Equal(["node-01"], decision.Assignments.Select(a => a.Node));
    }

    [Fact]
    public void Releases_a_finished_batch()
    {
        var fleet = Fleet.Of(5).Label("node-01", WellKnown.Labels.Serial).Label("node-02", WellKnown.Labels.Serial)
            .Set("node-01", n => n with { OsImage = "KubeOS v2" }).Set("node-02", n => n with { OsImage = "KubeOS v2" });

        var decision = fleet.Decide(Serial);

        Assert.Empty(decision.Assignments);
        Assert.Equal(["node-01", "node-02"], decision.LabelChanges.Where(c => !c.Add).Select(c => c.Node));
    }

    [Fact]
    public void The_whole_fleet_goes_through_in_name_order_one_node_at_a_time()
    {
        // Drive the decision function round after round, applying its writes and finishing each assigned node
        // before the next round, as operator + proxies would.
        var fleet = Fleet.Of(5);
        var order = new List<string>();
        for (var round = 0; round < 40 && fleet.Nodes.Any(n => n.OsImage != "KubeOS v2"); round++)
        {
            var decision = fleet.Decide(Serial);
            Assert.True(decision.Assignments.Count <= 1);
            foreach (var change in decision.LabelChanges)
            {
                if (change.Add) fleet.Label(change.Node, change.Label);
                else fleet.Set(change.Node, n => n with { Labels = n.Labels.Where(l => l.Key != change.Label).ToDictionary() });
            }
            foreach (var a in decision.Assignments)
            {
                order.Add(a.Node);
                fleet.Set(a.Node, n => n with { OsImage = "KubeOS v2" });
            }
        }
        Assert.Equal(["node-01", "node-02", "node-03", "node-04", "node-05"], order);
    }
}
