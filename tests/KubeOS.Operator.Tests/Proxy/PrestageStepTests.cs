using KubeOS.Api;
using KubeOS.Api.Agent;
using KubeOS.Api.Models;
using KubeOS.Proxy.Execution;
using KubeOS.Proxy.Prestage;
using KubeOS.Proxy.Revert;
using KubeOS.Proxy.Steps;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

/// <summary>Pre-staging on an unassigned node, and the rollback a revert assignment turns into.</summary>
public sealed class PrestageStepTests
{
    private static OS Owner(bool enabled = true)
    {
        var os = NodeScenario.Os(WellKnown.OpsTypes.Upgrade, "KubeOS v2", null, null);
        os.Spec!.Prestage = new PrestageSpec { Enabled = enabled, BandwidthLimit = "50Mi" };
        return os;
    }

    private static PrestageRequest Request(OS os) => new()
    {
        OS = new NamespacedName { Name = os.Metadata!.Name, Namespace = "default" }, OSVersion = os.Spec!.OSVersion, Checksum = os.Spec.Checksum,
    };

    private static NodeSituation Idle(OS os, StatusResult? agent, PrestageStatus? done = null, string version = "KubeOS v1")
    {
        var osi = new OSInstance
        {
            Metadata = new ObjectMeta { Name = NodeScenario.NodeName, Namespace = "default" },
            Spec = new OSInstanceSpec { NodeStatus = WellKnown.NodeStatuses.Idle, Prestage = Request(os) },
            Status = new OSInstanceStatus { Phase = NodePhases.Idle, Message = "no operation assigned", Prestage = done },
        };
        var node = new NodeView(NodeScenario.NodeName, version, "boot-1", false, true, new Dictionary<string, string>());
        return new NodeSituation(NodeScenario.NodeName, node, osi, null, agent, NodeScenario.Start, PrestageOwner: os);
    }

    [Fact]
    public void An_idle_node_asked_to_prestage_fetches_the_image_without_cordoning()
    {
        var os = Owner();
        var step = NodeStepPlanner.Next(Idle(os, NodeScenario.AgentOn("KubeOS v1", "")));
        Assert.Equal(StepKind.Prestage, step.Kind);
        Assert.False(step.Prestage!.AlreadyStaged);
        Assert.Equal(NodePhases.Idle, step.Phase);
        Assert.Equal("KubeOS v2", step.Prestage.Request.OSVersion);
        Assert.Equal(50L << 20, AgentRequests.Upgrade(step.Prestage.Os.Spec!).BandwidthLimit);
    }

    [Fact]
    public void An_image_the_agent_already_holds_is_recorded_not_fetched()
    {
        var os = Owner();
        var agent = NodeScenario.AgentOn("KubeOS v1", "KubeOS v2");
        agent.Staged = new StagedImage { Version = "KubeOS v2", CheckSum = "abcdef" };
        Assert.True(NodeStepPlanner.Next(Idle(os, agent)).Prestage!.AlreadyStaged);
    }

    [Theory]
    [InlineData(PrestageStates.Staged)]
    [InlineData(PrestageStates.Failed)]
    public void A_finished_staging_is_not_run_again(string state)
    {
        var os = Owner();
        var done = new PrestageStatus { OS = Request(os).OS, OSVersion = "KubeOS v2", Checksum = "abcdef", State = state };
        var situation = Idle(os, NodeScenario.AgentOn("KubeOS v1", ""), done);
        Assert.Equal(StepKind.Nothing, NodeStepPlanner.Next(situation).Kind);
        Assert.False(PrestageStepPlanner.Pending(situation));
    }

    [Fact]
    public void A_request_the_OS_no_longer_makes_is_ignored()
    {
        var os = Owner();
        var stale = Idle(os, NodeScenario.AgentOn("KubeOS v1", ""));
        os.Spec!.OSVersion = "KubeOS v3";
        Assert.Null(PrestageStepPlanner.Next(stale));
        Assert.Null(PrestageStepPlanner.Next(Idle(Owner(enabled: false), NodeScenario.AgentOn("KubeOS v1", ""))));
        Assert.Null(PrestageStepPlanner.Next(Idle(Owner(), NodeScenario.AgentOn("KubeOS v2", ""), version: "KubeOS v2")));
    }

    [Fact]
    public void Staging_is_only_waited_for_while_the_agent_cannot_be_asked()
    {
        var step = NodeStepPlanner.Next(Idle(Owner(), agent: null));
        Assert.Equal(StepKind.Nothing, step.Kind);
        Assert.Equal(NodeStepPlanner.Poll, step.RequeueAfter);
    }

    [Fact]
    public void Recording_staging_keeps_the_operation_status_and_sets_the_Staged_condition()
    {
        var current = new OSInstanceStatus { Phase = NodePhases.Succeeded, Message = "upgraded", Operation = new NodeOperation { OpsType = "upgrade" } };
        var staged = PrestageStatusWriter.With(current, new PrestageStatus { State = PrestageStates.Staged, Message = "verified" }, 3, NodeScenario.Start);
        Assert.Equal(NodePhases.Succeeded, staged.Phase);
        Assert.Equal("upgraded", staged.Message);
        Assert.Equal("upgrade", staged.Operation!.OpsType);
        var condition = Assert.Single(staged.Conditions!);
        Assert.Equal((NodeConditionTypes.Staged, ConditionStatuses.True, "Verified"), (condition.Type, condition.Status, condition.Reason));
        // An operation step after staging keeps status.prestage.
        var next = NodeStatusWriter.Apply(staged, new NodeStep(StepKind.Cordon, NodePhases.Cordoning, "cordoning"), 3, NodeScenario.Start);
        Assert.Equal(PrestageStates.Staged, next.Prestage!.State);
    }

    [Fact]
    public void A_revert_turns_the_assignment_into_a_rollback_to_the_version_the_node_came_from()
    {
        var os = NodeScenario.Os(WellKnown.OpsTypes.Upgrade, "KubeOS v2", "s1", null);
        os.Spec!.HealthGate = new HealthGateSpec { Timeout = 10 };
        var revert = RevertOwner.Apply(os, new RevertRequest { FromVersion = "KubeOS v2", ToVersion = "KubeOS v1" });
        Assert.Equal((WellKnown.OpsTypes.Rollback, "KubeOS v1"), (revert.Spec!.OpsType, revert.Spec.OSVersion));
        Assert.Null(revert.Spec.HealthGate);
        Assert.Equal("s1", revert.Spec.SysConfigs!.Version);
        Assert.Equal(WellKnown.OpsTypes.Upgrade, os.Spec.OpsType);
        // A revert recorded for another target is stale and changes nothing.
        Assert.Same(os, RevertOwner.Apply(os, new RevertRequest { FromVersion = "KubeOS v3", ToVersion = "KubeOS v1" }));
    }

    [Fact]
    public void A_reverted_node_walks_the_ordinary_rollback_steps()
    {
        var s = NodeScenario.Upgrade(sysconfigs: null, upgradeconfigs: null);
        s.Instance!.Status = new OSInstanceStatus();
        s.Node = s.Node with { OsImage = "KubeOS v2" };
        s.Agent = NodeScenario.AgentOn("KubeOS v2", inactive: "KubeOS v1");
        s.Instance.Spec!.Revert = new RevertRequest { FromVersion = "KubeOS v2", ToVersion = "KubeOS v1" };
        var first = s.Next();
        Assert.Equal(StepKind.Cordon, first.Kind);
        Assert.Equal((WellKnown.OpsTypes.Rollback, "KubeOS v1", "KubeOS v2"), (first.Operation!.OpsType, first.Operation.TargetVersion, first.Operation.FromVersion));
        s.Run(first);
        Assert.Equal(StepKind.Drain, s.Run(s.Next()).Kind);
        Assert.Equal(StepKind.RequestRollback, s.Next().Kind);
    }
}
