using KubeOS.Api.Models;
using KubeOS.Proxy.Drain;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

/// <summary>spec.drain: a knob per kind of pod instead of evictpodforce, and refusals that say which knob to change.</summary>
public class DrainPolicyTests
{
    private static IEnumerable<string> Names(IEnumerable<k8s.Models.V1Pod> pods) => pods.Select(p => p.Metadata.Name);

    [Theory]
    [InlineData(true, "ignore", "evict", "evict")]
    [InlineData(false, "block", "block", "block")]
    public void Without_spec_drain_evictpodforce_keeps_kubeos_meaning(bool force, string daemonSets, string emptyDir, string unmanaged)
    {
        var policy = DrainPolicy.From(new OSSpec { EvictPodForce = force });
        Assert.Equal((daemonSets, emptyDir, unmanaged), (policy.DaemonSetPods, policy.EmptyDirPods, policy.UnmanagedPods));
        Assert.False(policy.Explicit);
    }

    [Fact]
    public void With_spec_drain_daemonsets_are_ignored_and_data_losing_evictions_need_a_yes()
    {
        var policy = DrainPolicy.From(new OSSpec { EvictPodForce = false, Drain = new DrainSpec() });
        Assert.Equal((DrainChoices.Ignore, DrainChoices.Block, DrainChoices.Block), (policy.DaemonSetPods, policy.EmptyDirPods, policy.UnmanagedPods));
        var forced = DrainPolicy.From(new OSSpec { EvictPodForce = true, Drain = new DrainSpec { UnmanagedPods = "block" } });
        Assert.Equal((DrainChoices.Evict, DrainChoices.Block), (forced.EmptyDirPods, forced.UnmanagedPods));
    }

    [Fact]
    public void Escalation_times_and_action_are_read()
    {
        var policy = DrainPolicy.From(new OSSpec
        {
            Drain = new DrainSpec { Escalation = new DrainEscalation { WarnAfter = 30, FailAfter = 120, Action = "skip" } },
        });
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120), true), (policy.WarnAfter, policy.FailAfter, policy.Skips));
    }

    [Fact]
    public void EmptyDir_pods_can_be_evicted_while_unmanaged_pods_still_block()
    {
        var policy = new DrainPolicy(DrainChoices.Ignore, DrainChoices.Evict, DrainChoices.Block) { Explicit = true };
        var plan = PodClassifier.Classify([Pods.WithEmptyDir(Pods.Owned("cache-0")), Pods.Unowned("debug"), Pods.Owned("fluentd", "DaemonSet")], policy);
        Assert.Equal(["cache-0"], Names(plan.ToEvict));
        Assert.Equal(["fluentd"], Names(plan.Skipped.Select(s => s.Pod)));
        var blocker = Assert.Single(plan.Blockers);
        Assert.Equal("debug", blocker.Pod.Metadata.Name);
        Assert.Contains("spec.drain.unmanagedpods: evict", blocker.Fix);
        Assert.Contains("apps/debug: has no controller", plan.Describe());
    }

    [Fact]
    public void A_blocked_emptyDir_pod_names_the_knob_and_kubectl_s_equivalent()
    {
        var policy = new DrainPolicy(DrainChoices.Ignore, DrainChoices.Block, DrainChoices.Evict) { Explicit = true };
        var plan = PodClassifier.Classify([Pods.WithEmptyDir(Pods.Owned("cache-0")), Pods.Unowned("debug")], policy);
        Assert.Equal(["debug"], Names(plan.ToEvict));
        var blocker = Assert.Single(plan.Blockers);
        Assert.Equal("uses emptyDir storage, which is lost on eviction", blocker.Reason);
        Assert.Contains("spec.drain.emptydirpods: evict", blocker.Fix);
        Assert.Contains("--delete-emptydir-data", blocker.Fix);
    }

    [Fact]
    public void Blocking_daemonsets_refuses_the_drain()
    {
        var policy = new DrainPolicy(DrainChoices.Block, DrainChoices.Evict, DrainChoices.Evict) { Explicit = true };
        var plan = PodClassifier.Classify([Pods.Owned("fluentd", "DaemonSet")], policy);
        Assert.False(plan.CanProceed);
        Assert.Contains("spec.drain.daemonsetpods: ignore", plan.Blockers[0].Fix);
    }

    [Fact]
    public void The_stall_message_names_the_pod_the_budget_and_what_happens_next()
    {
        var pod = Pods.Owned("web-0", labels: new Dictionary<string, string> { ["app"] = "web" });
        var message = DrainStall.Describe([pod], [Pods.Budget("web", 0, new Dictionary<string, string> { ["app"] = "web" })],
            TimeSpan.FromSeconds(31), new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), DrainChoices.Skip);
        Assert.Equal("drain has waited 31s (spec.drain.escalation.warnafter): pod apps/web-0 is held by PodDisruptionBudget apps/web " +
                     "(disruptionsAllowed 0); at 2026-01-01T12:00:00Z the node will be skipped (uncordoned, left on its version)", message);
    }
}
