using KubeOS.Api.Models;
using KubeOS.Proxy.Steps;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

/// <summary>Per-phase durations and the per-node history written with the OSInstance status.</summary>
public class NodeHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static NodeOperation Op(DateTimeOffset phaseStartedAt) => new()
    {
        OpsType = "upgrade", FromVersion = "KubeOS v1", TargetVersion = "KubeOS v2", StartedAt = T0, PhaseStartedAt = phaseStartedAt,
        OS = new OperationOwner { Name = "upgrade", Namespace = "default" },
    };

    [Fact]
    public void Leaving_a_phase_adds_its_seconds_and_a_finished_operation_becomes_history()
    {
        var draining = NodeStatusWriter.Apply(null, new NodeStep(StepKind.Drain, NodePhases.Draining, "evicting") { Operation = Op(T0) }, 1, T0);
        var rebooting = NodeStatusWriter.Apply(draining,
            new NodeStep(StepKind.RequestUpgrade, NodePhases.Rebooting, "rebooting") { Operation = Op(T0.AddSeconds(40)) }, 1, T0.AddSeconds(40));
        Assert.Equal(40, rebooting.Operation!.PhaseDurations!["Draining"]);
        Assert.Null(rebooting.History);

        var done = NodeStatusWriter.Apply(rebooting,
            new NodeStep(StepKind.Complete, NodePhases.Succeeded, "upgraded") { Operation = Op(T0.AddSeconds(100)), Release = new Release([], true) },
            1, T0.AddSeconds(100));
        var entry = Assert.Single(done.History!);
        Assert.Equal(("KubeOS v1", "KubeOS v2", "default/upgrade", NodePhases.Succeeded), (entry.FromVersion, entry.TargetVersion, entry.OS, entry.Result));
        Assert.Equal((T0, T0.AddSeconds(100)), (entry.StartedAt!.Value, entry.FinishedAt!.Value));
        Assert.Equal(new Dictionary<string, double> { ["Draining"] = 40, ["Rebooting"] = 60 }, entry.PhaseDurations);

        // The interrupted release writes the terminal phase again: no second entry.
        var again = NodeStatusWriter.Apply(done, new NodeStep(StepKind.Complete, NodePhases.Succeeded, "upgraded") { Release = new Release([], false) }, 1, T0.AddSeconds(101));
        Assert.Single(again.History!);
    }

    [Fact]
    public void A_failure_is_kept_with_its_reason_and_history_is_bounded()
    {
        var status = new OSInstanceStatus
        {
            Phase = NodePhases.Draining, Operation = Op(T0),
            History = Enumerable.Range(0, NodeHistoryEntry.Limit).Select(i => new NodeHistoryEntry { TargetVersion = $"v{i}" }).ToList(),
        };
        var failed = NodeStatusWriter.Apply(status, new NodeStep(StepKind.Fail, NodePhases.Failed, "drain timed out")
        {
            Operation = Op(T0).With(failureReason: NodeFailureReasons.DrainTimeout), FailureReason = NodeFailureReasons.DrainTimeout,
        }, 1, T0.AddSeconds(30));
        Assert.Equal(NodeHistoryEntry.Limit, failed.History!.Count);
        Assert.Equal("v1", failed.History[0].TargetVersion);
        Assert.Equal((NodePhases.Failed, NodeFailureReasons.DrainTimeout), (failed.History[^1].Result, failed.History[^1].FailureReason));
        Assert.Equal(30, failed.History[^1].PhaseDurations!["Draining"]);
    }

    [Fact]
    public void A_stalled_drain_sets_its_condition_until_the_node_is_released()
    {
        var draining = NodeStatusWriter.Apply(null, new NodeStep(StepKind.Drain, NodePhases.Draining, "evicting") { Operation = Op(T0) }, 1, T0);
        var stalled = NodeStatusWriter.MarkDrainStalled(draining, "drain has waited 30s", 1, T0.AddSeconds(30));
        var condition = stalled.Conditions!.Single(c => c.Type == NodeConditionTypes.DrainStalled);
        Assert.Equal((ConditionStatuses.True, "drain has waited 30s"), (condition.Status, condition.Message));
        Assert.Equal(NodePhases.Draining, stalled.Phase);

        var released = NodeStatusWriter.Apply(stalled, new NodeStep(StepKind.Fail, NodePhases.Failed, "failed") { Release = new Release([], true) }, 1, T0.AddSeconds(60));
        Assert.Equal(ConditionStatuses.False, released.Conditions!.Single(c => c.Type == NodeConditionTypes.DrainStalled).Status);
    }
}
