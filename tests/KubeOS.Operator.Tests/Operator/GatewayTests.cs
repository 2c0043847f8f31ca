using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Cluster;
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>The operator's writes refuse to act on a stale observation instead of overwriting newer state.</summary>
public sealed class GatewayTests(OperatorSandbox sandbox) : IClassFixture<OperatorSandbox>
{
    private OperatorGateway Gateway => new(sandbox.Client);

    [Fact]
    public async Task An_assignment_over_an_instance_changed_since_observation_is_refused_as_stale()
    {
        var observed = (await Gateway.ObserveAsync(TestContext.Current.CancellationToken)).Instances["node-1"];
        // Its proxy writes in between (any change moves the resourceVersion).
        var touch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["touched"] = "yes" } } };
        await sandbox.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(touch.ToJsonString(), V1Patch.PatchType.MergePatch),
            WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, "node-1");

        var spec = new OSInstanceSpec { NodeStatus = WellKnown.NodeStatuses.Upgrade, NamespacedName = new NamespacedName { Name = "x", Namespace = "default" } };
        await Assert.ThrowsAsync<StaleObservationException>(() => Gateway.ReplaceInstanceSpecAsync(observed, spec, TestContext.Current.CancellationToken));
        Assert.Equal(WellKnown.NodeStatuses.Idle, (await sandbox.Proxy.InstanceAsync("node-1")).Spec?.NodeStatus);

        var fresh = (await Gateway.ObserveAsync(TestContext.Current.CancellationToken)).Instances["node-1"];
        await Gateway.ReplaceInstanceSpecAsync(fresh, spec, TestContext.Current.CancellationToken);
        Assert.Equal(WellKnown.NodeStatuses.Upgrade, (await sandbox.Proxy.InstanceAsync("node-1")).Spec?.NodeStatus);
    }

    [Fact]
    public async Task Deleting_an_orphan_spares_a_newer_instance_of_the_same_name()
    {
        var observed = (await Gateway.ObserveAsync(TestContext.Current.CancellationToken)).Instances["node-2"];
        await sandbox.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version,
            WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, "node-2");
        // The proxy of a re-registered node-2 creates a fresh instance.
        await sandbox.Proxy.CreateInstancesAsync(["node-2"]);

        await Gateway.DeleteInstanceAsync(observed, TestContext.Current.CancellationToken);

        var current = await sandbox.Proxy.InstanceAsync("node-2");
        Assert.NotEqual(observed.Metadata!.Uid, current.Metadata!.Uid);
    }
}
