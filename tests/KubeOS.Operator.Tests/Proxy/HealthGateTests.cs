using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Selectors;
using KubeOS.Proxy.HealthGate;
using KubeOS.Proxy.Steps;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

/// <summary>The health gate's pure parts: what counts as unhealthy, the verdict over time, and the steps around it.</summary>
public sealed class HealthGateTests
{
    private static readonly DateTimeOffset T0 = NodeScenario.Start;

    private static V1Pod Pod(string name, bool ready, string? owner = null, Dictionary<string, string>? labels = null, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = "kube-system", Labels = labels,
            OwnerReferences = owner is null ? null : [new V1OwnerReference { Kind = owner, Name = "o", Controller = true, ApiVersion = "apps/v1", Uid = "u" }],
        },
        Status = new V1PodStatus { Phase = phase, Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    [Fact]
    public void Unready_DaemonSet_and_selected_pods_fail_other_pods_and_finished_ones_do_not()
    {
        var selector = PodSelector.TryParse("app=web", out _);
        var observed = HealthObservation.From(nodeReady: false,
        [
            Pod("ds-1", ready: false, owner: "DaemonSet"),
            Pod("web-1", ready: false, owner: "ReplicaSet", labels: new() { ["app"] = "web" }),
            Pod("db-1", ready: false, owner: "ReplicaSet", labels: new() { ["app"] = "db" }),
            Pod("ds-done", ready: false, owner: "DaemonSet", phase: "Succeeded"),
            Pod("ds-ok", ready: true, owner: "DaemonSet"),
        ], selector, probeFailure: "probe http://x answered HTTP 503, expected 200");

        Assert.False(observed.Healthy);
        Assert.Equal(
        [
            "the node is not Ready",
            "DaemonSet pod kube-system/ds-1 is not Ready",
            "pod kube-system/web-1 (healthgate.podselector) is not Ready",
            "probe http://x answered HTTP 503, expected 200",
        ], observed.Failures);
        Assert.True(HealthObservation.From(true, [Pod("db-1", false, "ReplicaSet")], selector, null).Healthy);
    }

    private static readonly HealthObservation Healthy = new([]);
    private static readonly HealthObservation Sick = new(["DaemonSet pod kube-system/ds-1 is not Ready"]);
    private static readonly HealthGateSpec Gate = new() { BakeTime = 30, Timeout = 120 };

    [Fact]
    public void The_gate_passes_only_after_the_checks_held_through_the_bake_time()
    {
        var first = HealthGateVerdicts.Decide(Gate, Healthy, null, T0, T0);
        Assert.Equal(GateOutcome.Wait, first.Outcome);
        Assert.Equal(T0, first.Record.PassingSince);
        Assert.Equal(GateOutcome.Wait, HealthGateVerdicts.Decide(Gate, Healthy, first.Record, T0, T0.AddSeconds(29)).Outcome);
        var passed = HealthGateVerdicts.Decide(Gate, Healthy, first.Record, T0, T0.AddSeconds(30));
        Assert.Equal(GateOutcome.Passed, passed.Outcome);
        Assert.Equal(HealthGateResults.Passed, passed.Record.Result);
    }

    [Fact]
    public void A_failing_check_restarts_the_bake_and_the_timeout_fails_the_node()
    {
        var passing = new HealthGateRecord { PassingSince = T0 };
        var broken = HealthGateVerdicts.Decide(Gate, Sick, passing, T0, T0.AddSeconds(20));
        Assert.Equal(GateOutcome.Wait, broken.Outcome);
        Assert.Null(broken.Record.PassingSince);
        Assert.Contains("ds-1 is not Ready", broken.Message);
        var again = HealthGateVerdicts.Decide(Gate, Healthy, broken.Record, T0, T0.AddSeconds(25));
        Assert.Equal(T0.AddSeconds(25), again.Record.PassingSince);

        var failed = HealthGateVerdicts.Decide(Gate, Sick, null, T0, T0.AddSeconds(120));
        Assert.Equal(GateOutcome.Failed, failed.Outcome);
        Assert.Equal(HealthGateResults.Failed, failed.Record.Result);
        Assert.Contains("ds-1 is not Ready", failed.Record.Message);
        // Passing but unable to finish the bake before the timeout is a failure too.
        Assert.Equal(GateOutcome.Failed, HealthGateVerdicts.Decide(Gate, Healthy, new HealthGateRecord { PassingSince = T0.AddSeconds(100) }, T0, T0.AddSeconds(121)).Outcome);
    }

    [Fact]
    public void The_probe_url_takes_the_node_name()
    {
        var probe = new HttpProbeSpec { Url = "http://127.0.0.1:8080/ready?node=$(NODE_NAME)" };
        Assert.Equal("http://127.0.0.1:8080/ready?node=worker-1", HealthGateObserver.ProbeUrl(probe, "worker-1"));
    }

    /// <summary>An upgrade with a health gate, walked to the node's return on v2.</summary>
    private static NodeScenario BackOnTarget(HealthGateSpec gate)
    {
        var s = NodeScenario.Upgrade();
        s.Owner!.Spec!.HealthGate = gate;
        s.RunUntil(StepKind.RequestUpgrade);
        Assert.Equal("KubeOS v2", s.Node.OsImage);
        // Nothing observed yet: the gate looks before anything else happens.
        Assert.Equal((StepKind.Nothing, NodePhases.Verifying), (s.Next().Kind, s.Next().Phase));
        return s;
    }

    private static NodeStep Next(NodeScenario s, HealthObservation? health) =>
        NodeStepPlanner.Next(new NodeSituation(NodeScenario.NodeName, s.Node, s.Instance, s.Owner, s.Agent, s.Now, s.Timings, Health: health));

    [Fact]
    public void Back_on_target_the_node_waits_for_the_gate_before_confirming_the_boot()
    {
        var s = BackOnTarget(new HealthGateSpec { BakeTime = 5, Timeout = 60 });
        var waiting = Next(s, Sick);
        Assert.Equal(StepKind.Nothing, waiting.Kind);
        Assert.Equal(NodePhases.Verifying, waiting.Phase);
        Assert.Contains("waiting: DaemonSet pod", waiting.Message);
        s.Record(waiting);

        s.Now += TimeSpan.FromSeconds(1);
        var baking = Next(s, Healthy);
        Assert.Equal(StepKind.Nothing, baking.Kind);
        Assert.Equal(s.Now, baking.Operation!.HealthGate!.PassingSince);
        s.Record(baking);

        s.Now += TimeSpan.FromSeconds(5);
        var confirm = Next(s, Healthy);
        Assert.Equal(StepKind.ConfirmBoot, confirm.Kind);
        Assert.Equal(HealthGateResults.Passed, confirm.Operation!.HealthGate!.Result);
        Assert.Null(confirm.Notice);
        // A node still marked by an earlier failed gate has the mark cleared when a version passes.
        s.Node = s.Node with { HealthGateFailed = true };
        var clearing = Next(s, Healthy).Notice!;
        Assert.Equal((NodeObjectConditions.HealthGateFailed, false), (clearing.ConditionType, clearing.Active));
        s.Run(confirm);
        var done = s.Next();
        Assert.Equal(StepKind.Complete, done.Kind);
        Assert.True(done.Release!.Uncordon);
    }

    [Fact]
    public void A_node_failing_the_gate_rolls_back_then_fails_cordoned_with_a_node_notice()
    {
        var s = BackOnTarget(new HealthGateSpec { Timeout = 10 });
        s.Record(Next(s, Sick));
        s.Now += TimeSpan.FromSeconds(10);
        var rollback = Next(s, Sick);
        Assert.Equal(StepKind.RequestRollback, rollback.Kind);
        Assert.Equal(NodePhases.Rebooting, rollback.Phase);
        Assert.Equal(s.Node.BootId, rollback.Operation!.BootId);
        Assert.Equal(HealthGateResults.Failed, rollback.Operation.HealthGate!.Result);
        Assert.Contains("rolling back to partition A (KubeOS v1)", rollback.Message);
        s.Record(rollback);

        // The node comes back on v1, the boot it fell back to needs no confirmation.
        s.Node = s.Node with { OsImage = "KubeOS v1", BootId = s.Node.BootId + "'" };
        s.Agent = NodeScenario.AgentOn("KubeOS v1", inactive: "KubeOS v2");
        var fail = s.Next();
        Assert.Equal(StepKind.Fail, fail.Kind);
        Assert.Equal(NodeFailureReasons.HealthGateFailed, fail.FailureReason);
        Assert.False(fail.Release!.Uncordon);
        Assert.Contains(WellKnown.Labels.Upgrading, fail.Release.RemoveLabels);
        Assert.Equal(NodeObjectConditions.HealthGateFailed, fail.Notice!.ConditionType);
        Assert.Contains("rolled back to KubeOS v1", fail.Notice.Message);
    }

    [Fact]
    public void A_rollback_that_never_reboots_fails_the_node_at_the_reboot_deadline_still_cordoned()
    {
        var s = BackOnTarget(new HealthGateSpec { Timeout = 10 });
        s.Record(Next(s, Sick));
        s.Now += TimeSpan.FromSeconds(10);
        var rollback = Next(s, Sick);
        Assert.Equal(StepKind.RequestRollback, rollback.Kind);
        s.Record(rollback);
        // The agent armed the rollback (a next boot entry is set), but the node never reboots.
        s.Agent!.NextEntry = "B";
        var deadline = (s.Timings ?? ProxyTimings.Default).RebootTimeout;

        s.Now += deadline - TimeSpan.FromSeconds(1);
        var waiting = Next(s, Sick);
        Assert.Equal((StepKind.Nothing, NodePhases.Rebooting), (waiting.Kind, waiting.Phase));
        s.Record(waiting);

        s.Now += TimeSpan.FromSeconds(1);
        var fail = Next(s, Sick);
        Assert.Equal((StepKind.Fail, NodePhases.Failed), (fail.Kind, fail.Phase));
        Assert.Equal(NodeFailureReasons.HealthGateRollbackTimeout, fail.FailureReason);
        Assert.Equal(NodeFailureReasons.HealthGateRollbackTimeout, fail.Operation!.FailureReason);
        Assert.False(fail.Release!.Uncordon);
        Assert.Contains(WellKnown.Labels.Upgrading, fail.Release.RemoveLabels);
        Assert.Contains($"did not happen within {deadline.TotalMinutes:0} minutes", fail.Message);
        Assert.Contains("the node still runs KubeOS v2; check os-agent's log", fail.Message);
        Assert.Equal((NodeObjectConditions.HealthGateFailed, NodeFailureReasons.HealthGateRollbackTimeout, true),
            (fail.Notice!.ConditionType, fail.Notice.Reason, fail.Notice.Active));
        Assert.Equal(fail.Message, fail.Notice.Message);
    }

    [Fact]
    public void Without_a_gate_the_node_confirms_at_once_as_before()
    {
        var s = NodeScenario.Upgrade();
        s.RunUntil(StepKind.RequestUpgrade);
        Assert.Equal(StepKind.ConfirmBoot, s.Next().Kind);
    }
}
