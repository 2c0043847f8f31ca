using KubeOS.Proxy.Drain;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

public class PodClassifierTests
{
    private static IEnumerable<string> Names(IEnumerable<k8s.Models.V1Pod> pods) => pods.Select(p => p.Metadata.Name);

    [Fact]
    public void ReplicatedPodsAreEvictedWithOrWithoutForce()
    {
        foreach (var force in new[] { false, true })
        {
            var plan = PodClassifier.Classify([Pods.Owned("web-1"), Pods.Owned("db-0", "StatefulSet")], force);
            Assert.Equal(["web-1", "db-0"], Names(plan.ToEvict));
            Assert.True(plan.CanProceed);
        }
    }

    [Fact]
    public void DaemonSetPodsAreSkippedWithForce()
    {
        var plan = PodClassifier.Classify([Pods.Owned("fluentd", "DaemonSet")], evictPodForce: true);
        Assert.Empty(plan.ToEvict);
        Assert.Equal("fluentd", Assert.Single(plan.Skipped).Pod.Metadata.Name);
        Assert.Contains("DaemonSet", plan.Skipped[0].Reason);
    }

    [Fact]
    public void DaemonSetPodsBlockWithoutForceAndNameTheFix()
    {
        var plan = PodClassifier.Classify([Pods.Owned("fluentd", "DaemonSet")], evictPodForce: false);
        var blocker = Assert.Single(plan.Blockers);
        Assert.False(plan.CanProceed);
        Assert.Contains("evictpodforce: true", blocker.Fix);
        Assert.Equal("apps/fluentd: is managed by a DaemonSet (set evictpodforce: true to leave DaemonSet pods running during the drain)", plan.Describe());
    }

    [Fact]
    public void MirrorPodsAreSkippedEvenWithoutForce()
    {
        var plan = PodClassifier.Classify([Pods.Mirror("kube-proxy-worker-1")], evictPodForce: false);
        Assert.Single(plan.Skipped);
        Assert.Empty(plan.Blockers);
        Assert.Empty(plan.ToEvict);
    }

    [Fact]
    public void EmptyDirPodsAreEvictedWithForceAndBlockWithout()
    {
        Assert.Equal(["cache"], Names(PodClassifier.Classify([Pods.WithEmptyDir(Pods.Owned("cache"))], true).ToEvict));
        var blocker = Assert.Single(PodClassifier.Classify([Pods.WithEmptyDir(Pods.Owned("cache"))], false).Blockers);
        Assert.Contains("emptyDir", blocker.Reason);
        Assert.Equal("set evictpodforce: true or delete the pod", blocker.Fix);
    }

    [Fact]
    public void UnownedPodsAreEvictedWithForceAndBlockWithout()
    {
        Assert.Equal(["debug"], Names(PodClassifier.Classify([Pods.Unowned("debug")], true).ToEvict));
        var blocker = Assert.Single(PodClassifier.Classify([Pods.Unowned("debug")], false).Blockers);
        Assert.Contains("no controller", blocker.Reason);
        Assert.Equal("set evictpodforce: true or delete the pod", blocker.Fix);
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void FinishedPodsPassEveryFilterWithoutForce(string phase)
    {
        var pods = new[]
        {
            Pods.Owned("job-ds", "DaemonSet", phase), Pods.Unowned("oneshot", phase), Pods.WithEmptyDir(Pods.Owned("batch", phase: phase)),
        };
        var plan = PodClassifier.Classify(pods, evictPodForce: false);
        Assert.Empty(plan.Blockers);
        Assert.Equal(["job-ds", "oneshot", "batch"], Names(plan.ToEvict));
    }

    [Fact]
    public void DaemonSetFilterDecidesBeforeTheEmptyDirFilter()
    {
        var plan = PodClassifier.Classify([Pods.WithEmptyDir(Pods.Owned("agent", "DaemonSet"))], evictPodForce: true);
        Assert.Single(plan.Skipped);
        Assert.Empty(plan.ToEvict);
    }

    [Fact]
    public void EveryBlockerIsReportedNotJustTheFirst()
    {
        var plan = PodClassifier.Classify([Pods.Unowned("a"), Pods.Owned("ok"), Pods.Owned("ds", "DaemonSet"), Pods.WithEmptyDir(Pods.Owned("b"))], false);
        Assert.Equal(["a", "ds", "b"], plan.Blockers.Select(b => b.Pod.Metadata.Name));
        Assert.Equal(["ok"], Names(plan.ToEvict));
    }
}
