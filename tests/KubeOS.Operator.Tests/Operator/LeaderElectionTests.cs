using k8s;
using KubeOS.Api;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>Two replicas at once: only the holder of the Lease reconciles; the other takes over when it stops.</summary>
public sealed class LeaderElectionTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    [Fact]
    public async Task Only_the_lease_holder_acts_and_a_standby_takes_over_when_it_stops()
    {
        await using var sampler = await LabelSampler.StartAsync(sandbox.Client, WellKnown.Labels.Upgrading, OperatorSandbox.NodeCount);
        await using var a = sandbox.StartOperator("op-a");
        await using var b = sandbox.StartOperator("op-b");
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(a.Runtime.Activity.Leading || b.Runtime.Activity.Leading), "one replica leads");
        var (leader, standby) = a.Runtime.Activity.Leading ? (a, b) : (b, a);

        await sandbox.CreateAsync(OperatorSandbox.Upgrade("ha-upgrade", maxUnavailable: 2));
        for (var i = 0; i < 4; i++)
        {
            await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == 2, "two nodes are labelled");
            // The proxy's part: the lowest labelled node finishes.
            await sandbox.Proxy.CompleteUpgradeAsync((await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading))[0], OperatorSandbox.TargetVersion);
        }
        await OperatorSandbox.EventuallyAsync(async () => (await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading)).Count == 2, "two nodes are labelled");

        var lease = await sandbox.Client.CoordinationV1.ReadNamespacedLeaseAsync("upgrade-operator", "upgrade-system");
        Assert.Equal(leader.Runtime.Identity, lease.Spec.HolderIdentity);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(leader.Runtime.Activity.Assignments == 6), "the leader counted six assignments");
        Assert.Equal(0, standby.Runtime.Activity.Assignments);
        Assert.Equal(0, standby.Runtime.Activity.Passes);
        Assert.False(standby.Runtime.Activity.Leading);

        // The leader stops (and releases the Lease); the standby continues the rollout.
        await leader.DisposeAsync();
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(standby.Runtime.Activity.Leading), "the standby leads");
        await sandbox.Proxy.CompleteUpgradeAsync((await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading))[0], OperatorSandbox.TargetVersion);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(standby.Runtime.Activity.Assignments == 1), "the standby assigns the next node");

        Assert.Equal(["node-5", "node-6"], await sandbox.NodesLabelledAsync(WellKnown.Labels.Upgrading));
        Assert.Equal(2, sampler.Max);
    }
}
