using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

public class ScopeAndWindowTests
{
    [Fact]
    public void Control_plane_nodes_are_never_selected()
    {
        var fleet = Fleet.Of(2).Label("node-01", WellKnown.Labels.ControlPlane);
        var os = Fleet.Upgrade(maxUnavailable: 5);
        os.Spec!.NodeSelector = WellKnown.NodeSelectors.AllLabel;
        var decision = fleet.Decide(os);
        Assert.Equal(["node-02"], decision.Assignments.Select(a => a.Node));
        Assert.Equal(1, decision.Counts.InScope);
    }

    [Theory]
    [InlineData(null, new[] { "node-03" })]
    [InlineData("no-label", new[] { "node-03" })]
    [InlineData("all-label", new[] { "node-01", "node-02", "node-03" })]
    [InlineData("gpu", new[] { "node-01" })]
    [InlineData("", new[] { "node-02" })]
    public void Nodeselector_picks_the_group(string? selector, string[] expected)
    {
        var fleet = Fleet.Of(3).Label("node-01", WellKnown.Labels.NodeSelector, "gpu").Label("node-02", WellKnown.Labels.NodeSelector, "");
        var os = Fleet.Upgrade(maxUnavailable: 5);
        os.Spec!.NodeSelector = selector;
        Assert.Equal(expected, fleet.Decide(os).Assignments.Select(a => a.Node));
    }

    [Fact]
    public void Two_OS_objects_with_the_same_nodeselector_both_stall()
    {
        var fleet = Fleet.Of(3);
        var rival = Fleet.Upgrade(name: "other");
        rival.Metadata!.Namespace = "team-a";
        fleet.Others.Add(rival);

        var decision = fleet.Decide(Fleet.Upgrade());

        Assert.Equal(RolloutBlock.SelectorConflict, decision.Block);
        Assert.Contains("team-a/other", decision.Message);
        Assert.Empty(decision.Assignments);
    }

    [Theory]
    [InlineData("22:00:00", "04:00:00", 23, true)]
    [InlineData("22:00:00", "04:00:00", 2, true)]
    [InlineData("22:00:00", "04:00:00", 12, false)]
    [InlineData("22:00", "04:00", 3, true)]
    [InlineData("09:00:00", "17:00:00", 12, true)]
    [InlineData("09:00:00", "17:00:00", 18, false)]
    public void Daily_windows_gate_new_assignments_and_may_wrap_midnight(string start, string end, int hour, bool open)
    {
        var fleet = Fleet.Of(2);
        fleet.Now = new DateTimeOffset(2026, 11, 24, hour, 30, 0, TimeSpan.Zero);
        var os = Fleet.Upgrade();
        os.Spec!.TimeWindow = new TimeWindow { StartTime = start, EndTime = end };

        var decision = fleet.Decide(os);

        Assert.Equal(open ? RolloutBlock.None : RolloutBlock.OutsideTimeWindow, decision.Block);
        Assert.Equal(open ? 2 : 0, decision.Assignments.Count);
    }

    [Fact]
    public void Window_bounds_are_exclusive()
    {
        var fleet = Fleet.Of(1);
        fleet.Now = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        var os = Fleet.Upgrade();
        os.Spec!.TimeWindow = new TimeWindow { StartTime = "09:00:00", EndTime = "17:00:00" };
        Assert.Equal(RolloutBlock.OutsideTimeWindow, fleet.Decide(os).Block);
    }

    [Fact]
    public void Absolute_windows_open_once()
    {
        var fleet = Fleet.Of(1);
        var os = Fleet.Upgrade();
        os.Spec!.TimeWindow = new TimeWindow { StartTime = "2026-11-24 10:00:00", EndTime = "2026-11-24 14:00:00" };
        Assert.Equal(RolloutBlock.None, fleet.Decide(os).Block);
        fleet.Now = fleet.Now.AddDays(1);
        Assert.Equal(RolloutBlock.OutsideTimeWindow, fleet.Decide(os).Block);
    }

    [Fact]
    public void Windows_are_read_in_the_operators_time_zone()
    {
        var fleet = Fleet.Of(1);
        fleet.Now = new DateTimeOffset(2026, 11, 24, 20, 0, 0, TimeSpan.Zero); // 23:00 in UTC+3
        var os = Fleet.Upgrade();
        os.Spec!.TimeWindow = new TimeWindow { StartTime = "22:00:00", EndTime = "23:30:00" };
        var plus3 = TimeZoneInfo.CreateCustomTimeZone("plus3", TimeSpan.FromHours(3), "plus3", "plus3");
        Assert.Equal(RolloutBlock.None, RolloutPlanner.Decide(fleet.View(os) with { TimeZone = plus3 }).Block);
        Assert.Equal(RolloutBlock.OutsideTimeWindow, RolloutPlanner.Decide(fleet.View(os)).Block);
    }

    [Theory]
    [InlineData("22:00:00", "")]
    [InlineData("22:00:00", "22:00:00")]
    [InlineData("22:00:00", "2026-11-24 10:00:00")]
    [InlineData("2026-11-24 10:00:00", "2026-11-24 09:00:00")]
    public void Invalid_windows_block_with_a_message(string start, string end)
    {
        var os = Fleet.Upgrade();
        os.Spec!.TimeWindow = new TimeWindow { StartTime = start, EndTime = end };
        var decision = Fleet.Of(1).Decide(os);
        Assert.Equal(RolloutBlock.InvalidTimeWindow, decision.Block);
        Assert.StartsWith("spec.timewindow", decision.Message);
    }

    [Fact]
    public void Unknown_execution_mode_blocks()
    {
        Assert.Equal(RolloutBlock.UnknownExecutionMode, Fleet.Of(1).Decide(Fleet.Upgrade(mode: "random")).Block);
    }
}
