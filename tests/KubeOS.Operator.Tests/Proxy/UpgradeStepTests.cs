using KubeOS.Api;
using KubeOS.Api.Agent;
using KubeOS.Api.Models;
using KubeOS.Proxy.Steps;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

public class UpgradeStepTests
{
    [Fact]
    public void UpgradeRunsInKubeOSOrderAndEndsSucceeded()
    {
        var s = NodeScenario.Upgrade(sysconfigs: "s2");
        var done = s.RunUntil(StepKind.Complete, StepKind.Fail);
        Assert.Equal(
            [StepKind.ApplyConfigs, StepKind.Prepare, StepKind.Cordon, StepKind.Drain, StepKind.RequestUpgrade,
             StepKind.ApplyConfigs, StepKind.ConfirmBoot, StepKind.Complete], done);
        Assert.Equal([ConfigKind.UpgradeConfigs, ConfigKind.SysConfigs], s.Configured);
        Assert.Equal(NodePhases.Succeeded, s.Status.Phase);
        Assert.Equal("upgraded from KubeOS v1 to KubeOS v2", s.Status.Message);
        Assert.False(s.Node.HasLabel(WellKnown.Labels.Upgrading));
        Assert.False(s.Node.Unschedulable);
        Assert.Equal(WellKnown.NodeStatuses.Idle, s.Instance!.Spec!.NodeStatus);
        Assert.Null(s.Instance.Spec.NamespacedName);
        Assert.Equal(StepKind.Nothing, s.Next().Kind);
        Assert.Equal(NodePhases.Succeeded, s.Next().Phase);
    }

    [Fact]
    public void PrepareRunsWhileTheNodeStillServes()
    {
        var s = NodeScenario.Upgrade();
        s.Run(s.Next()); // upgradeconfigs
        var step = s.Next();
        Assert.Equal(StepKind.Prepare, step.Kind);
        Assert.False(s.Node.Unschedulable);
        Assert.Equal(NodePhases.Preparing, step.Phase);
        Assert.Equal(NodePhases.Staged, step.SuccessPhase);
    }

    [Fact]
    public void UpgradeconfigsAreAppliedBeforeAnythingElse()
    {
        var step = NodeScenario.Upgrade().Next();
        Assert.Equal((StepKind.ApplyConfigs, ConfigKind.UpgradeConfigs, NodePhases.ApplyingUpgradeConfigs), (step.Kind, step.Configs!.Value, step.Phase));
    }

    [Fact]
    public void FirstStepRecordsTheOperationTargetOwnerAndStart()
    {
        var s = NodeScenario.Upgrade();
        var op = s.Next().Operation!;
        Assert.Equal((WellKnown.OpsTypes.Upgrade, "KubeOS v2", "KubeOS v1", "s1"), (op.OpsType, op.TargetVersion, op.FromVersion, op.ConfigVersion));
        Assert.Equal(("os-upgrade", "default", 4L), (op.OS!.Name, op.OS.Namespace, op.OS.Generation));
        Assert.Equal((NodeScenario.Start, NodeScenario.Start), (op.StartedAt, op.PhaseStartedAt));
        Assert.Equal((1, false), (op.Attempt, op.CordonedByUs));
        Assert.Null(op.BootId);
    }

    [Fact]
    public void WithoutTheOperatorsLabelTheNodeWaitsAssigned()
    {
        var s = NodeScenario.Upgrade();
        s.Unlabel(WellKnown.Labels.Upgrading);
        var step = s.Next();
        Assert.Equal((StepKind.Nothing, NodePhases.Assigned), (step.Kind, step.Phase));
        Assert.Contains("label", step.Message);
    }

    [Fact]
    public void StagedPhaseForTheSameTargetSkipsPrepareWhenTheAgentCannotBeAsked()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        s.Run(s.Next());
        Assert.Equal(StepKind.Prepare, s.Done[^1]);
        s.Agent = null;
        Assert.Equal(NodePhases.Staged, s.Status.Phase);
        Assert.Equal(StepKind.Cordon, s.Next().Kind);
    }

    [Fact]
    public void AgentReportingTheTargetStagedSkipsPrepare()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        s.Agent!.Staged = new StagedImage { Version = "KubeOS v2", CheckSum = "abcdef" };
        Assert.Equal(StepKind.Cordon, s.Next().Kind);
    }

    [Fact]
    public void AgentReportingAnotherStagedImagePreparesAgain()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        s.Run(s.Next());
        s.Agent!.Staged = new StagedImage { Version = "KubeOS v2", CheckSum = "0123" };
        Assert.Equal(StepKind.Prepare, s.Next().Kind);
    }

    [Fact]
    public void CordonRecordsThatTheProxyCordonedTheNode()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        s.Run(s.Next());
        var step = s.Next();
        Assert.Equal((StepKind.Cordon, NodePhases.Cordoning), (step.Kind, step.Phase));
        Assert.True(step.Operation!.CordonedByUs);
    }

    [Fact]
    public void NodeCordonedBeforeTheOperationIsNotCordonedAgainAndStaysCordoned()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        s.Node = s.Node with { Unschedulable = true };
        var done = s.RunUntil(StepKind.Complete, StepKind.Fail);
        Assert.DoesNotContain(StepKind.Cordon, done);
        Assert.Equal(StepKind.Complete, done[^1]);
        Assert.True(s.Node.Unschedulable);
        Assert.False(s.Status.Operation!.CordonedByUs);
    }

    [Fact]
    public void DrainUsesEvictPodForceAndTheTimeout()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        s.Owner!.Spec!.EvictPodForce = false;
        s.Timings = new ProxyTimings(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(15));
        s.Run(s.Next());
        s.Run(s.Next());
        var step = s.Next();
        Assert.Equal(StepKind.Drain, step.Kind);
        Assert.Equal(new DrainOrder(false, s.Now + TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3)), step.Drain);
    }

    [Fact]
    public void DrainDeadlineCountsFromWhenDrainingBeganNotFromEachLook()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        s.Run(s.Next());
        s.Run(s.Next());
        var began = s.Now;
        s.Record(s.Next()); // Draining recorded, then the proxy restarts mid-drain
        s.Now = began + TimeSpan.FromMinutes(4);
        var step = s.Next();
        Assert.Equal(StepKind.Drain, step.Kind);
        Assert.Equal(began + TimeSpan.FromMinutes(10), step.Drain!.Deadline);
        Assert.Equal(began, step.Operation!.PhaseStartedAt);
    }

    [Fact]
    public void RequestUpgradeRecordsTheBootIdBeforeTheReboot()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        for (var i = 0; i < 3; i++) s.Run(s.Next());
        var step = s.Next();
        Assert.Equal((StepKind.RequestUpgrade, NodePhases.Rebooting), (step.Kind, step.Phase));
        Assert.Equal("boot-1", step.Operation!.BootId);
        Assert.True(step.Operation.CordonedByUs);
    }

    [Fact]
    public void UntilTheBootIdChangesTheNodeIsWaitedForAsRebooting()
    {
        var s = RequestedReboot();
        var step = s.Next();
        Assert.Equal((StepKind.Nothing, NodePhases.Rebooting), (step.Kind, step.Phase));
        Assert.Equal(NodeStepPlanner.Poll, step.RequeueAfter);
    }

    [Fact]
    public void NodeThatDoesNotRebootInTimeFails()
    {
        var s = RequestedReboot();
        s.Now += TimeSpan.FromMinutes(15);
        var step = s.Next();
        Assert.Equal((StepKind.Fail, NodeFailureReasons.RebootTimeout), (step.Kind, step.FailureReason));
        Assert.True(step.Release!.Uncordon);
    }

    [Fact]
    public void NodeBackOnAnotherVersionFailsAndIsNeverUpgradedAgain()
    {
        var s = RequestedReboot();
        s.Reboot("KubeOS v1.5");
        var step = s.Run(s.Next());
        Assert.Equal((StepKind.Fail, NodePhases.Failed, NodeFailureReasons.WrongVersionAfterReboot), (step.Kind, step.Phase, step.FailureReason));
        Assert.Equal("came back on KubeOS v1.5, expected KubeOS v2 — the new root did not boot or the image holds another version", step.Message);
        Assert.Equal([WellKnown.Labels.Upgrading], step.Release!.RemoveLabels);
        Assert.True(KubeOS.Operator.Rollout.NodeProgressReader.FailedFor(s.Owner!, s.Instance!));
        var after = s.Next();
        Assert.Equal((StepKind.Nothing, NodePhases.Failed), (after.Kind, after.Phase));
    }

    [Fact]
    public void AfterTheRebootTheBootIsConfirmedOnlyWhileTheAgentReportsATrialBoot()
    {
        var s = RequestedReboot();
        s.Reboot("KubeOS v2");
        Assert.Equal((StepKind.ConfirmBoot, NodePhases.Verifying), (s.Next().Kind, s.Next().Phase));
        s.Agent!.BootPendingConfirmation = false;
        Assert.Equal((StepKind.Complete, NodePhases.Succeeded), (s.Next().Kind, s.Next().Phase));
    }

    [Fact]
    public void AfterTheRebootWithoutAgentStatusTheNodeWaitsVerifying()
    {
        var s = RequestedReboot();
        s.Reboot("KubeOS v2");
        s.Agent = null;
        var step = s.Next();
        Assert.Equal((StepKind.Nothing, NodePhases.Verifying), (step.Kind, step.Phase));
    }

    [Fact]
    public void NodeWithoutBootIdIsNotRebootedBlind()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        for (var i = 0; i < 3; i++) s.Run(s.Next());
        s.Node = s.Node with { BootId = null };
        var step = s.Next();
        Assert.Equal(StepKind.Nothing, step.Kind);
        Assert.Contains("bootID", step.Message);
    }

    [Fact]
    public void NodeAlreadyOnTheTargetCompletesWithoutReboot()
    {
        var s = NodeScenario.Upgrade();
        s.Node = s.Node with { OsImage = "KubeOS v2" };
        var step = s.Next();
        Assert.Equal((StepKind.Complete, NodePhases.Succeeded), (step.Kind, step.Phase));
        Assert.False(step.Release!.Uncordon);
    }

    [Fact]
    public void FailedDrainFailsTheNodeOnceWithoutFlappingOrDownloadingAgain()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        for (var i = 0; i < 2; i++) s.Run(s.Next());
        // The executor's drain found blockers and recorded the failure on the current operation.
        var drain = s.Next();
        s.Record(new NodeStep(StepKind.Fail, NodePhases.Failed, "default/db-0: uses emptyDir storage")
            { Operation = drain.Operation!.With(failureReason: NodeFailureReasons.DrainBlocked), FailureReason = NodeFailureReasons.DrainBlocked });
        var step = s.Run(s.Next());
        Assert.Equal((StepKind.Fail, NodeFailureReasons.DrainBlocked), (step.Kind, step.FailureReason));
        Assert.Equal("default/db-0: uses emptyDir storage", step.Message);
        Assert.True(step.Release!.Uncordon);
        Assert.False(s.Node.Unschedulable);
        Assert.Equal(StepKind.Nothing, s.Next().Kind);
        Assert.Equal([StepKind.Prepare, StepKind.Cordon, StepKind.Fail], s.Done);
    }

    [Fact]
    public void ChangedUpgradeconfigsBeforeTheRebootReassign()
    {
        var s = NodeScenario.Upgrade();
        s.Run(s.Next());
        s.Owner!.Spec!.UpgradeConfigs = new SysConfigs { Version = "u2" };
        var step = s.Next();
        Assert.Equal((StepKind.Reassign, NodePhases.Idle), (step.Kind, step.Phase));
        Assert.Contains("\"u1\" to \"u2\"", step.Message);
    }

    [Fact]
    public void ChangedUpgradeconfigsAfterTheRebootWasRequestedDoNotInterruptIt()
    {
        var s = RequestedReboot();
        s.Owner!.Spec!.UpgradeConfigs = new SysConfigs { Version = "u2" };
        Assert.Equal((StepKind.Nothing, NodePhases.Rebooting), (s.Next().Kind, s.Next().Phase));
    }

    [Fact]
    public void ChangedSysconfigsDuringAnUpgradeAreTakenWithCurrentAndNextSwapped()
    {
        var s = RequestedReboot();
        s.Reboot("KubeOS v2");
        s.Owner!.Spec!.SysConfigs = new SysConfigs { Version = "s3", Configs = [NodeScenario.Grub(WellKnown.Models.GrubCmdlineNext)] };
        var step = s.Next();
        Assert.Equal(StepKind.UpdateSysConfigsSpec, step.Kind);
        Assert.Equal("s3", step.SysConfigsSpec!.Version);
        Assert.Equal(WellKnown.Models.GrubCmdlineCurrent, step.SysConfigsSpec.Configs![0].Model);
        Assert.Equal(WellKnown.Models.GrubCmdlineNext, s.Owner.Spec.SysConfigs.Configs![0].Model);
    }

    [Fact]
    public void ReassignedSameTargetCountsAsTheNextAttempt()
    {
        var s = NodeScenario.Upgrade();
        s.Run(s.Next());
        s.Owner!.Spec!.UpgradeConfigs = new SysConfigs { Version = "u2" };
        s.Run(s.Next());
        Assert.Equal(StepKind.Reassign, s.Done[^1]);
        s.Assign(WellKnown.NodeStatuses.Upgrade, WellKnown.Labels.Upgrading);
        var op = s.Next().Operation!;
        Assert.Equal(2, op.Attempt);
        Assert.Equal(s.Now, op.StartedAt);
    }

    [Fact]
    public void PhaseClockRestartsOnlyWhenThePhaseChanges()
    {
        var s = NodeScenario.Upgrade();
        s.Record(s.Next());
        var first = s.Status.Operation!.PhaseStartedAt;
        s.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(first, s.Next().Operation!.PhaseStartedAt);
        s.Status.UpgradeConfigs = s.Instance!.Spec!.UpgradeConfigs;
        Assert.Equal(s.Now, s.Next().Operation!.PhaseStartedAt);
    }

    /// <summary>An upgrade that has just asked the agent to switch and reboot; the node has not rebooted yet.</summary>
    internal static NodeScenario RequestedReboot()
    {
        var s = NodeScenario.Upgrade(upgradeconfigs: "u0");
        for (var i = 0; i < 4; i++) s.Run(s.Next());
        Assert.Equal(StepKind.RequestUpgrade, s.Done[^1]);
        s.Node = s.Node with { OsImage = "KubeOS v1", BootId = "boot-1" };
        s.Agent = NodeScenario.AgentOn("KubeOS v1", "KubeOS v2");
        return s;
    }
}
