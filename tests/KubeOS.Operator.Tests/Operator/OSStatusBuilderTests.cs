using System.Text.Json.Nodes;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;
using KubeOS.Operator.Status;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

public sealed class OSStatusBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly OS Os = new() { Metadata = new ObjectMeta { Name = "os", Namespace = "default", Generation = 3 } };

    private static RolloutDecision Decision(RolloutCounts counts, RolloutBlock block = RolloutBlock.None, string? message = null) =>
        new(block, message, [], [], TimeSpan.FromSeconds(15), counts);

    [Fact]
    public void Rolling_out_is_progressing_and_carries_counts_and_generation()
    {
        var status = OSStatusBuilder.Build(Os, Decision(new(10, 3, 2, 5, 0, 0, 0)), null, T0);

        Assert.Equal(3, (long?)status["observedGeneration"]);
        Assert.Equal(10, (int?)status["counts"]!["inscope"]);
        Assert.Equal(2, (int?)status["counts"]!["inoperation"]);
        Assert.Equal(5, (int?)status["counts"]!["pending"]);
        Assert.True(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Progressing));
        Assert.False(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Succeeded));
        Assert.False(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Blocked));
        Assert.Equal("2026-11-24T12:00:00Z", (string?)OSStatusBuilder.ConditionOf(status, OSStatusBuilder.Progressing)!["lastTransitionTime"]);
    }

    [Fact]
    public void A_block_sets_Blocked_with_the_block_as_reason_and_stops_Progressing()
    {
        var status = OSStatusBuilder.Build(Os, Decision(new(4, 0, 0, 4, 0, 0, 0), RolloutBlock.OutsideTimeWindow, "outside the time window"), null, T0);

        var blocked = OSStatusBuilder.ConditionOf(status, OSStatusBuilder.Blocked)!;
        Assert.Equal("True", (string?)blocked["status"]);
        Assert.Equal("OutsideTimeWindow", (string?)blocked["reason"]);
        Assert.Equal("outside the time window", (string?)blocked["message"]);
        Assert.False(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Progressing));
    }

    [Fact]
    public void All_done_succeeds_and_failures_do_not()
    {
        Assert.True(OSStatusBuilder.IsTrue(OSStatusBuilder.Build(Os, Decision(new(4, 3, 0, 0, 0, 1, 0)), null, T0), OSStatusBuilder.Succeeded));
        var failed = OSStatusBuilder.Build(Os, Decision(new(4, 3, 0, 0, 1, 0, 0)), null, T0);
        Assert.False(OSStatusBuilder.IsTrue(failed, OSStatusBuilder.Succeeded));
        Assert.Equal("NodesFailed", (string?)OSStatusBuilder.ConditionOf(failed, OSStatusBuilder.Succeeded)!["reason"]);
        // A node whose proxy has not created its OSInstance yet keeps the rollout from being complete, and says so.
        var waiting = OSStatusBuilder.Build(Os, Decision(new(4, 3, 0, 0, 0, 0, 1)), null, T0);
        Assert.False(OSStatusBuilder.IsTrue(waiting, OSStatusBuilder.Succeeded));
        Assert.Equal("WaitingForInstances", (string?)OSStatusBuilder.ConditionOf(waiting, OSStatusBuilder.Progressing)!["reason"]);
    }

    [Fact]
    public void A_pause_sets_Paused_and_a_spent_failure_budget_or_a_finished_rollout_with_failures_sets_Failed()
    {
        var running = OSStatusBuilder.Build(Os, Decision(new(4, 1, 1, 1, 1, 0, 0)), null, T0);
        Assert.False(OSStatusBuilder.IsTrue(running, OSStatusBuilder.Paused));
        Assert.False(OSStatusBuilder.IsTrue(running, OSStatusBuilder.Failed));
        Assert.Equal("1 node(s) failed, within the failure budget", (string?)OSStatusBuilder.ConditionOf(running, OSStatusBuilder.Failed)!["message"]);

        var paused = OSStatusBuilder.Build(Os, Decision(new(4, 1, 1, 2, 0, 0, 0), RolloutBlock.Paused, "paused by spec.paused"), null, T0);
        Assert.True(OSStatusBuilder.IsTrue(paused, OSStatusBuilder.Paused));
        Assert.Equal("PausedBySpec", (string?)OSStatusBuilder.ConditionOf(paused, OSStatusBuilder.Paused)!["reason"]);
        Assert.False(OSStatusBuilder.IsTrue(paused, OSStatusBuilder.Failed));

        var budget = OSStatusBuilder.Build(Os, Decision(new(4, 1, 0, 2, 1, 0, 0), RolloutBlock.FailureBudgetExhausted, "1 failed of maxfailures 1: node-3"), null, T0);
        Assert.True(OSStatusBuilder.IsTrue(budget, OSStatusBuilder.Failed));
        Assert.Equal("FailureBudgetExhausted", (string?)OSStatusBuilder.ConditionOf(budget, OSStatusBuilder.Failed)!["reason"]);
        Assert.False(OSStatusBuilder.IsTrue(budget, OSStatusBuilder.Paused));

        var finishedWithFailures = OSStatusBuilder.Build(Os, Decision(new(4, 3, 0, 0, 1, 0, 0)), null, T0);
        Assert.True(OSStatusBuilder.IsTrue(finishedWithFailures, OSStatusBuilder.Failed));
        Assert.Equal("NodesFailed", (string?)OSStatusBuilder.ConditionOf(finishedWithFailures, OSStatusBuilder.Failed)!["reason"]);
    }

    [Fact]
    public void An_unchanged_decision_rebuilds_the_same_status_so_nothing_is_written()
    {
        var decision = Decision(new(10, 3, 2, 5, 0, 0, 0));
        var first = OSStatusBuilder.Build(Os, decision, null, T0);
        var again = OSStatusBuilder.Build(Os, decision, first, T0.AddMinutes(5));

        Assert.True(JsonNode.DeepEquals(first, again));
    }

    [Fact]
    public void A_flipped_condition_gets_a_new_transition_time_and_the_others_keep_theirs()
    {
        var first = OSStatusBuilder.Build(Os, Decision(new(2, 1, 1, 0, 0, 0, 0)), null, T0);
        var done = OSStatusBuilder.Build(Os, Decision(new(2, 2, 0, 0, 0, 0, 0)), first, T0.AddMinutes(5));

        Assert.Equal("2026-11-24T12:05:00Z", (string?)OSStatusBuilder.ConditionOf(done, OSStatusBuilder.Succeeded)!["lastTransitionTime"]);
        Assert.Equal("2026-11-24T12:05:00Z", (string?)OSStatusBuilder.ConditionOf(done, OSStatusBuilder.Progressing)!["lastTransitionTime"]);
        Assert.Equal("2026-11-24T12:00:00Z", (string?)OSStatusBuilder.ConditionOf(done, OSStatusBuilder.Blocked)!["lastTransitionTime"]);
    }
}
