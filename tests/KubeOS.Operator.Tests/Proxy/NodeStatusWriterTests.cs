using KubeOS.Api.Models;
using KubeOS.Proxy.Steps;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

public class NodeStatusWriterTests
{
    private static readonly DateTimeOffset T0 = NodeScenario.Start;

    private static NodeCondition Condition(OSInstanceStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    [Fact]
    public void ActivePhaseIsProgressingAndEndPhasesAreNot()
    {
        var draining = NodeStatusWriter.Apply(null, new NodeStep(StepKind.Drain, NodePhases.Draining, "evicting"), 3, T0);
        Assert.Equal(("True", "Draining", "evicting", 3L), (Condition(draining, "Progressing").Status, Condition(draining, "Progressing").Reason,
            Condition(draining, "Progressing").Message, Condition(draining, "Progressing").ObservedGeneration!.Value));
        Assert.Equal((NodePhases.Draining, "evicting"), (draining.Phase, draining.Message));

        var done = NodeStatusWriter.Apply(draining, new NodeStep(StepKind.Complete, NodePhases.Succeeded, "upgraded") { Release = new Release([], false) }, 3, T0);
        Assert.Equal("False", Condition(done, "Progressing").Status);
        Assert.Equal("False", Condition(done, "Failed").Status);
    }

    [Fact]
    public void FailureSetsTheFailedConditionWithTheReason()
    {
        var step = new NodeStep(StepKind.Fail, NodePhases.Failed, "came back on X") { FailureReason = NodeFailureReasons.WrongVersionAfterReboot, Release = new Release([], true) };
        var status = NodeStatusWriter.Apply(null, step, 1, T0);
        Assert.Equal(("True", NodeFailureReasons.WrongVersionAfterReboot, "came back on X"),
            (Condition(status, "Failed").Status, Condition(status, "Failed").Reason, Condition(status, "Failed").Message));
        Assert.Equal("False", Condition(status, "Drained").Status);
    }

    [Fact]
    public void TransitionTimeMovesOnlyWhenTheConditionStatusChanges()
    {
        var first = NodeStatusWriter.Apply(null, new NodeStep(StepKind.Prepare, NodePhases.Preparing, "a"), 1, T0);
        var second = NodeStatusWriter.Apply(first, new NodeStep(StepKind.Cordon, NodePhases.Cordoning, "b"), 1, T0.AddMinutes(5));
        Assert.Equal(T0, Condition(second, "Progressing").LastTransitionTime);
        Assert.Equal("Cordoning", Condition(second, "Progressing").Reason);
        var third = NodeStatusWriter.Apply(second, new NodeStep(StepKind.Complete, NodePhases.Succeeded, "c") { Release = new Release([], false) }, 1, T0.AddMinutes(9));
        Assert.Equal(T0.AddMinutes(9), Condition(third, "Progressing").LastTransitionTime);
    }

    [Fact]
    public void IdlingAfterAFailureKeepsTheFailedCondition()
    {
        var failed = NodeStatusWriter.Apply(null, new NodeStep(StepKind.Fail, NodePhases.Failed, "x") { FailureReason = "DrainTimeout", Release = new Release([], false) }, 1, T0);
        var idle = NodeStatusWriter.Apply(failed, new NodeStep(StepKind.Nothing, NodePhases.Idle, "no operation assigned"), 1, T0.AddMinutes(1));
        Assert.Equal(("True", "DrainTimeout"), (Condition(idle, "Failed").Status, Condition(idle, "Failed").Reason));
    }

    [Fact]
    public void ConfigBlocksOperationAndUnknownFieldsAreKept()
    {
        var current = new OSInstanceStatus
        {
            SysConfigs = new SysConfigs { Version = "s1" }, UpgradeConfigs = new SysConfigs { Version = "u1" },
            Operation = new NodeOperation { TargetVersion = "v2" },
            ExtensionData = new() { ["future"] = System.Text.Json.JsonDocument.Parse("1").RootElement },
        };
        var next = NodeStatusWriter.Apply(current, new NodeStep(StepKind.Nothing, NodePhases.Rebooting, "waiting"), 1, T0);
        Assert.Same(current.SysConfigs, next.SysConfigs);
        Assert.Same(current.UpgradeConfigs, next.UpgradeConfigs);
        Assert.Same(current.Operation, next.Operation);
        Assert.True(next.ExtensionData!.ContainsKey("future"));
    }

    [Fact]
    public void MarkDrainedSetsDrainedTrueAndKeepsThePhase()
    {
        var draining = NodeStatusWriter.Apply(null, new NodeStep(StepKind.Drain, NodePhases.Draining, "evicting"), 1, T0);
        var drained = NodeStatusWriter.MarkDrained(draining, "3 pods evicted", 1, T0.AddMinutes(1));
        Assert.Equal(("True", T0.AddMinutes(1)), (Condition(drained, "Drained").Status, Condition(drained, "Drained").LastTransitionTime!.Value));
        Assert.Equal(NodePhases.Draining, drained.Phase);
    }
}

public class NodeStatusMessageLimitTests
{
    [Fact]
    public void MessagesLongerThanTheCrdAllowsAreCutSoTheStatusIsNotRefused()
    {
        var pods = string.Join("; ", Enumerable.Range(0, 400).Select(i => $"pod apps/web-{i} is held by PodDisruptionBudget apps/web"));
        var status = NodeStatusWriter.Apply(null, new NodeStep(StepKind.Fail, NodePhases.Failed, pods) { Release = new Release([], false) }, 1, NodeScenario.Start);
        Assert.Equal(NodeStatusWriter.MaxMessage, status.Message!.Length);
        Assert.EndsWith("…", status.Message);
        Assert.StartsWith("pod apps/web-0 is held", status.Message);
        Assert.Equal(pods, status.Conditions!.Single(c => c.Type == "Failed").Message);
    }

    [Fact]
    public void MessagesWithinTheLimitAreKeptAsTheyAre() =>
        Assert.Equal("drained", NodeStatusWriter.Truncate("drained", NodeStatusWriter.MaxMessage));
}
