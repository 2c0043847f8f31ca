using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Proxy.Steps;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

public class OwnershipStepTests
{
    [Fact]
    public void NodeUnknownToTheApiServerIsWaitedFor()
    {
        var step = NodeStepPlanner.Next(new NodeSituation("ghost", null, null, null, null, NodeScenario.Start));
        Assert.Equal((StepKind.Nothing, NodeStepPlanner.Idle), (step.Kind, step.RequeueAfter));
        Assert.Contains("ghost", step.Message);
    }

    [Fact]
    public void MissingOSInstanceIsCreated()
    {
        var s = new NodeScenario();
        var step = s.Next();
        Assert.Equal((StepKind.CreateInstance, NodePhases.Idle), (step.Kind, step.Phase));
    }

    [Fact]
    public void WithoutAssignmentTheNodeIdles()
    {
        var s = new NodeScenario { Instance = new OSInstance { Spec = new OSInstanceSpec { NodeStatus = "idle" } } };
        var step = s.Next();
        Assert.Equal((StepKind.Nothing, NodePhases.Idle, NodeStepPlanner.Idle), (step.Kind, step.Phase, step.RequeueAfter));
        Assert.Null(step.Operation);
    }

    [Fact]
    public void FinishedOperationStaysVisibleWhileTheNodeIdles()
    {
        var s = new NodeScenario
        {
            Instance = new OSInstance
            {
                Spec = new OSInstanceSpec { NodeStatus = "idle" },
                Status = new OSInstanceStatus { Phase = NodePhases.Failed, Message = "came back on X" },
            },
        };
        var step = s.Next();
        Assert.Equal((StepKind.Nothing, NodePhases.Failed, "came back on X"), (step.Kind, step.Phase, step.Message));
    }

    [Fact]
    public void DeletedOwningOSReleasesTheNodeInsteadOfStrandingIt()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        s.Run(s.Next());
        s.Run(s.Next());
        Assert.True(s.Node.Unschedulable);
        s.Owner = null;
        var step = s.Run(s.Next());
        Assert.Equal((StepKind.Complete, NodePhases.Idle), (step.Kind, step.Phase));
        Assert.Equal("OS default/os-upgrade was deleted; the operation is abandoned and the node released", step.Message);
        Assert.True(step.Release!.Uncordon);
        Assert.False(s.Node.Unschedulable);
        Assert.False(s.Node.HasLabel(WellKnown.Labels.Upgrading));
        Assert.Null(s.Instance!.Spec!.NamespacedName);
    }

    [Fact]
    public void IdleInstanceWithAnOperationLabelIsReleased()
    {
        var s = NodeScenario.Upgrade();
        s.Instance!.Spec!.NodeStatus = WellKnown.NodeStatuses.Idle;
        var step = s.Next();
        Assert.Equal(StepKind.Complete, step.Kind);
        Assert.Equal([WellKnown.Labels.Upgrading], step.Release!.RemoveLabels);
        s.Unlabel(WellKnown.Labels.Upgrading);
        Assert.Equal(StepKind.Nothing, s.Next().Kind);
    }

    [Fact]
    public void UnknownOpsTypeIsReportedAndWaited()
    {
        var s = NodeScenario.Upgrade();
        s.Owner!.Spec!.OpsType = "reinstall";
        var step = s.Next();
        Assert.Equal((StepKind.Nothing, NodePhases.Assigned), (step.Kind, step.Phase));
        Assert.Contains("\"reinstall\"", step.Message);
    }

    [Fact]
    public void InterruptedReleaseIsFinishedWithoutChangingTheRecordedFailure()
    {
        var s = NodeScenario.Upgrade();
        var first = s.Next();
        s.Record(new NodeStep(StepKind.Fail, NodePhases.Failed, "drain did not finish within 10m: pod a/b")
            { Operation = first.Operation!.With(cordonedByUs: true, failureReason: NodeFailureReasons.DrainTimeout), FailureReason = NodeFailureReasons.DrainTimeout });
        s.Node = s.Node with { Unschedulable = true };
        var step = s.Next();
        Assert.Equal((StepKind.Fail, NodePhases.Failed, NodeFailureReasons.DrainTimeout), (step.Kind, step.Phase, step.FailureReason));
        Assert.Equal("drain did not finish within 10m: pod a/b", step.Message);
        Assert.Equal(first.Operation!.StartedAt, step.Operation!.StartedAt);
        Assert.True(step.Release!.Uncordon);
    }

    [Fact]
    public void FailureOfAnotherTargetDoesNotBlockANewOperation()
    {
        var s = NodeScenario.Upgrade();
        s.Status.Phase = NodePhases.Failed;
        s.Status.Operation = new NodeOperation { OpsType = "upgrade", TargetVersion = "KubeOS v1.5", Attempt = 3, OS = new OperationOwner { Name = "os-upgrade" } };
        var step = s.Next();
        Assert.Equal(StepKind.ApplyConfigs, step.Kind);
        Assert.Equal(("KubeOS v2", 1), (step.Operation!.TargetVersion, step.Operation.Attempt));
    }
}
