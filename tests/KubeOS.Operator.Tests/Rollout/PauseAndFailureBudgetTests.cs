using KubeOS.Api;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

/// <summary>spec.paused and spec.maxfailures: extensions that must leave a plain KubeOS manifest unchanged.</summary>
public class PauseAndFailureBudgetTests
{
    [Fact]
    public void Paused_assigns_nothing_new_while_counts_still_describe_the_fleet()
    {
        var fleet = Fleet.Of(5).Label("node-03", WellKnown.Labels.Upgrading);
        fleet.Failed.Add("node-05");
        var os = Fleet.Upgrade(maxUnavailable: 3);
        os.Spec!.Paused = true;

        var decision = fleet.Decide(os);

        Assert.Equal(RolloutBlock.Paused, decision.Block);
        Assert.Empty(decision.Assignments);
        Assert.Empty(decision.LabelChanges);
        Assert.Contains("paused", decision.Message);
        Assert.Contains("1 node(s) in operation", decision.Message);
        Assert.Equal(new RolloutCounts(5, 0, 1, 3, 1, 0, 0), decision.Counts);
    }

    [Fact]
    public void Paused_serial_rollout_forms_no_batch()
    {
        var os = Fleet.Upgrade(maxUnavailable: 2, mode: WellKnown.ExecutionModes.Serial);
        os.Spec!.Paused = true;

        var decision = Fleet.Of(4).Decide(os);

        Assert.Equal(RolloutBlock.Paused, decision.Block);
        Assert.Empty(decision.Assignments);
        Assert.Empty(decision.LabelChanges);
    }

    [Fact]
    public void Paused_false_behaves_as_absent()
    {
        var os = Fleet.Upgrade(maxUnavailable: 2);
        var plain = Fleet.Of(4).Decide(os);
        os.Spec!.Paused = false;
        var unpaused = Fleet.Of(4).Decide(os);

        Assert.Equal(RolloutBlock.None, unpaused.Block);
        Assert.Equal(["node-01", "node-02"], unpaused.Assignments.Select(a => a.Node));
        Assert.Equal(plain.Assignments.Select(a => a.Node), unpaused.Assignments.Select(a => a.Node));
        Assert.Equal(plain.Counts, unpaused.Counts);
    }

    [Fact]
    public void Reaching_maxfailures_halts_with_the_count_and_the_failed_nodes()
    {
        var fleet = Fleet.Of(6);
        fleet.Failed.UnionWith(["node-02", "node-04"]);
        var os = Fleet.Upgrade(maxUnavailable: 2);
        os.Spec!.MaxFailures = 2;

        var decision = fleet.Decide(os);

        Assert.Equal(RolloutBlock.FailureBudgetExhausted, decision.Block);
        Assert.Empty(decision.Assignments);
        Assert.Contains("2 node(s) failed", decision.Message);
        Assert.Contains("maxfailures 2", decision.Message);
        Assert.Contains("(node-02, node-04)", decision.Message);
        Assert.Equal(new RolloutCounts(6, 0, 0, 4, 2, 0, 0), decision.Counts);
    }

    [Fact]
    public void Below_maxfailures_the_rollout_continues_past_the_failed_node()
    {
        var fleet = Fleet.Of(6);
        fleet.Failed.Add("node-01");
        var os = Fleet.Upgrade(maxUnavailable: 2);
        os.Spec!.MaxFailures = 2;

        var decision = fleet.Decide(os);

        Assert.Equal(RolloutBlock.None, decision.Block);
        Assert.Equal(["node-02", "node-03"], decision.Assignments.Select(a => a.Node));
    }

    [Fact]
    public void Failed_nodes_outside_the_selected_group_do_not_use_the_budget()
    {
        var fleet = Fleet.Of(3);
        fleet.Add("other-01", "KubeOS v1", new Dictionary<string, string> { [WellKnown.Labels.NodeSelector] = "gpu" });
        fleet.Failed.Add("other-01");
        var os = Fleet.Upgrade(maxUnavailable: 1);
        os.Spec!.NodeSelector = "no-label";
        os.Spec.MaxFailures = 1;

        var decision = fleet.Decide(os);

        Assert.Equal(RolloutBlock.None, decision.Block);
        Assert.Equal(["node-01"], decision.Assignments.Select(a => a.Node));
    }

    [Fact]
    public void Without_maxfailures_any_number_of_failures_is_tolerated_as_in_KubeOS()
    {
        var fleet = Fleet.Of(5);
        fleet.Failed.UnionWith(["node-01", "node-02", "node-03"]);

        var decision = fleet.Decide(Fleet.Upgrade(maxUnavailable: 2));

        Assert.Equal(RolloutBlock.None, decision.Block);
        Assert.Equal(["node-04", "node-05"], decision.Assignments.Select(a => a.Node));
        Assert.Equal(3, decision.Counts.Failed);
    }
}
