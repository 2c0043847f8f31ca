using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Proxy.Steps;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

public class RollbackAndConfigStepTests
{
    [Fact]
    public void RollbackDrainsAndSwitchesWithoutFetchingAnImage()
    {
        var s = NodeScenario.Rollback();
        var done = s.RunUntil(StepKind.Complete, StepKind.Fail);
        Assert.Equal([StepKind.Cordon, StepKind.Drain, StepKind.RequestRollback, StepKind.ConfirmBoot, StepKind.Complete], done);
        Assert.Equal("rolled back from KubeOS v1 to KubeOS v0", s.Status.Message);
        Assert.False(s.Node.Unschedulable);
    }

    [Fact]
    public void RollbackFailsClearlyWhenTheOtherPartitionHoldsAnotherVersion()
    {
        var s = NodeScenario.Rollback();
        s.Agent = NodeScenario.AgentOn("KubeOS v1", "KubeOS v9");
        var step = s.Next();
        Assert.Equal((StepKind.Fail, NodeFailureReasons.RollbackTargetMismatch), (step.Kind, step.FailureReason));
        Assert.Equal("rollback needs KubeOS v0 but the other partition (B) holds KubeOS v9; a rollback only returns to the " +
                     "version in the other partition — upgrade to KubeOS v0 instead", step.Message);
        Assert.False(step.Release!.Uncordon);
    }

    [Fact]
    public void RollbackFailsOnAnEmptyOtherPartition()
    {
        var s = NodeScenario.Rollback();
        s.Agent = NodeScenario.AgentOn("KubeOS v1", "");
        var step = s.Next();
        Assert.Equal(StepKind.Fail, step.Kind);
        Assert.Contains("holds no bootable system", step.Message);
    }

    [Fact]
    public void RollbackIsCheckedBeforeUpgradeconfigsChangeAnything()
    {
        var s = NodeScenario.Rollback();
        s.Owner!.Spec!.UpgradeConfigs = new SysConfigs { Version = "u1" };
        s.Instance!.Spec!.UpgradeConfigs = new SysConfigs { Version = "u1" };
        s.Agent = NodeScenario.AgentOn("KubeOS v1", "KubeOS v9");
        Assert.Equal(StepKind.Fail, s.Next().Kind);
        s.Agent = NodeScenario.AgentOn("KubeOS v1", "KubeOS v0");
        Assert.Equal((StepKind.ApplyConfigs, ConfigKind.UpgradeConfigs), (s.Next().Kind, s.Next().Configs!.Value));
    }

    [Fact]
    public void RollbackWaitsWhenTheAgentCannotSayWhatTheOtherPartitionHolds()
    {
        var s = NodeScenario.Rollback();
        s.Agent = null;
        var step = s.Next();
        Assert.Equal((StepKind.Nothing, NodePhases.Assigned), (step.Kind, step.Phase));
        Assert.Equal(NodeStepPlanner.Poll, step.RequeueAfter);
    }

    [Fact]
    public void ConfigAppliesSysconfigsThenCompletesWithoutCordonDrainOrReboot()
    {
        var s = NodeScenario.Config();
        var first = s.Next();
        Assert.Equal((StepKind.ApplyConfigs, ConfigKind.SysConfigs, NodePhases.Configuring), (first.Kind, first.Configs!.Value, first.Phase));
        var done = s.RunUntil(StepKind.Complete, StepKind.Fail);
        Assert.Equal([StepKind.ApplyConfigs, StepKind.Complete], done);
        Assert.Equal("applied sysconfigs version \"s2\"", s.Status.Message);
        Assert.Equal(NodePhases.Succeeded, s.Status.Phase);
        Assert.False(s.Node.HasLabel(WellKnown.Labels.Configuring));
        Assert.Equal("s2", s.Status.SysConfigs!.Version);
    }

    [Fact]
    public void ConfigForAnotherOSVersionFailsInsteadOfLoopingForever()
    {
        var s = NodeScenario.Config(osversion: "KubeOS v2");
        var step = s.Run(s.Next());
        Assert.Equal((StepKind.Fail, NodeFailureReasons.ConfigVersionMismatch), (step.Kind, step.FailureReason));
        Assert.Contains("runs \"KubeOS v1\" but the config is for \"KubeOS v2\"", step.Message);
        Assert.Equal([WellKnown.Labels.Configuring], step.Release!.RemoveLabels);
        Assert.True(KubeOS.Operator.Rollout.NodeProgressReader.FailedFor(s.Owner!, s.Instance!));
    }

    [Fact]
    public void ChangedSysconfigsVersionDuringConfigReassignsTheNode()
    {
        var s = NodeScenario.Config();
        s.Owner!.Spec!.SysConfigs = new SysConfigs { Version = "s3" };
        var step = s.Next();
        Assert.Equal((StepKind.Reassign, NodePhases.Idle), (step.Kind, step.Phase));
        Assert.Contains("\"s2\" to \"s3\"", step.Message);
    }

    [Fact]
    public void ConfigNodeWithoutTheConfiguringLabelWaits()
    {
        var s = NodeScenario.Config();
        s.Unlabel(WellKnown.Labels.Configuring);
        Assert.Equal((StepKind.Nothing, NodePhases.Assigned), (s.Next().Kind, s.Next().Phase));
    }
}
