using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;
using Xunit;

namespace KubeOS.Operator.Tests.Rollout;

public class NodeProgressReaderTests
{
    private static OS Os(string opsType = "upgrade", string version = "KubeOS v2", string? sysconfigs = "s1", string name = "os-a") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new OSSpec { OpsType = opsType, OSVersion = version, SysConfigs = sysconfigs is null ? null : new SysConfigs { Version = sysconfigs } },
    };

    private static OSInstance Instance(string node, string phase, string opsType = "upgrade", string target = "KubeOS v2",
        string? configVersion = "s1", string owner = "os-a") => new()
    {
        Metadata = new ObjectMeta { Name = node, Namespace = "default" },
        Spec = new OSInstanceSpec { NodeStatus = "idle" },
        Status = new OSInstanceStatus
        {
            Phase = phase,
            Operation = new NodeOperation
            {
                OpsType = opsType, TargetVersion = target, ConfigVersion = configVersion,
                OS = new OperationOwner { Name = owner, Namespace = "default" }, FailureReason = "WrongVersionAfterReboot",
            },
        },
    };

    [Fact]
    public void NodeFailedForTheCurrentTargetCounts() =>
        Assert.True(NodeProgressReader.FailedFor(Os(), Instance("n1", NodePhases.Failed)));

    [Fact]
    public void NodeThatSucceededOrIsStillRunningDoesNotCount()
    {
        Assert.False(NodeProgressReader.FailedFor(Os(), Instance("n1", NodePhases.Succeeded)));
        Assert.False(NodeProgressReader.FailedFor(Os(), Instance("n1", NodePhases.Draining)));
        Assert.False(NodeProgressReader.FailedFor(Os(), new OSInstance { Metadata = new ObjectMeta { Name = "n1" } }));
    }

    [Fact]
    public void ChangingTheTargetVersionMakesAFailedNodeEligibleAgain() =>
        Assert.False(NodeProgressReader.FailedFor(Os(version: "KubeOS v3"), Instance("n1", NodePhases.Failed)));

    [Fact]
    public void FailureUnderAnotherOSOrOpstypeDoesNotCount()
    {
        Assert.False(NodeProgressReader.FailedFor(Os(name: "os-b"), Instance("n1", NodePhases.Failed)));
        Assert.False(NodeProgressReader.FailedFor(Os(opsType: "rollback"), Instance("n1", NodePhases.Failed)));
    }

    [Fact]
    public void ConfigFailureCountsOnlyForTheSameSysconfigsVersion()
    {
        var failed = Instance("n1", NodePhases.Failed, opsType: "config", target: "KubeOS v1", configVersion: "s2");
        Assert.True(NodeProgressReader.FailedFor(Os("config", "KubeOS v1", "s2"), failed));
        Assert.False(NodeProgressReader.FailedFor(Os("config", "KubeOS v1", "s3"), failed));
    }

    [Fact]
    public void FailedNodesFeedTheRolloutPlannerSoTheyAreNotReassigned()
    {
        var fleet = Fleet.Of(2);
        var os = Os();
        os.Spec!.MaxUnavailable = 2;
        os.Spec.ImageType = "disk";
        fleet.Instances["node-01"].Status = Instance("node-01", NodePhases.Failed).Status;
        var failed = NodeProgressReader.FailedNodes(os, fleet.Instances.Values);
        Assert.Equal(["node-01"], failed);
        var decision = RolloutPlanner.Decide(new ClusterView(os, [os], fleet.Nodes, fleet.Instances, fleet.Now, TimeZoneInfo.Utc, failed));
        Assert.Equal(["node-02"], decision.Assignments.Select(a => a.Node));
    }
}
