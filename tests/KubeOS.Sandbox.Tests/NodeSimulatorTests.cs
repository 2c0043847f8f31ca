using k8s;
using k8s.Models;
using KubeOS.Sandbox.Simulation;

namespace KubeOS.Sandbox.Tests;

/// <summary>The simulated nodes and their kubelets, scheduler and ReplicaSet controller, seen through the API.</summary>
public sealed class NodeSimulatorTests(SimulatedClusterFixture cluster) : IClassFixture<SimulatedClusterFixture>
{
    private IKubernetes Client => cluster.Client;

    [Fact]
    public async Task Nodes_register_with_hostname_roles_and_a_KubeOS_nodeInfo()
    {
        var nodes = (await Client.CoreV1.ListNodeAsync()).Items.OrderBy(n => n.Metadata.Name).ToList();
        Assert.Equal(["node-0", "node-1", "node-2", "node-3"], nodes.Select(n => n.Metadata.Name));
        Assert.True(nodes[0].Metadata.Labels.ContainsKey(SimulatedNodeFactory.ControlPlaneRoleLabel));
        Assert.Equal(SimulatedNodeFactory.ControlPlaneRoleLabel, Assert.Single(nodes[0].Spec.Taints).Key);
        Assert.All(nodes, n =>
        {
            Assert.Equal(n.Metadata.Name, n.Metadata.Labels[SimulatedNodeFactory.HostnameLabel]);
            Assert.Equal("KubeOS v1", n.Status.NodeInfo.OsImage);
            Assert.Equal("v1.32.0", n.Status.NodeInfo.KubeletVersion);
            Assert.Equal("True", n.Status.Conditions.Single(c => c.Type == "Ready").Status);
        });
    }

    [Fact]
    public async Task Each_node_renews_a_lease_in_kube_node_lease()
    {
        await SimulatedClusterFixture.EventuallyAsync(async () =>
            (await Client.CoordinationV1.ListNamespacedLeaseAsync(SimulatedKubelet.LeaseNamespace)).Items.Count == 4, "four node leases exist");
        var lease = await Client.CoordinationV1.ReadNamespacedLeaseAsync("node-2", SimulatedKubelet.LeaseNamespace);
        Assert.Equal("node-2", lease.Spec.HolderIdentity);
        Assert.NotNull(lease.Spec.RenewTime);
    }

    [Fact]
    public async Task ReplicaSet_pods_are_scheduled_on_ready_workers_and_run()
    {
        // Spreading over three workers needs all three to be Ready and schedulable first (the simulated kubelets
        // post their first status asynchronously, and a loaded machine can be slow to).
        await SimulatedClusterFixture.EventuallyAsync(async () =>
            (await Client.CoreV1.ListNodeAsync()).Items.Count(n => n.Metadata.Name != "node-0" && n.Spec.Unschedulable != true &&
                n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true) == 3, "three workers are Ready");
        var ns = await cluster.NewNamespaceAsync("sched");
        await Client.AppsV1.CreateNamespacedReplicaSetAsync(ObjectLifecycleTests.ReplicaSet("spread", 3), ns);
        await SimulatedClusterFixture.EventuallyAsync(async () =>
        {
            var pods = await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Running");
            return pods.Items.Count == 3 && pods.Items.All(p => p.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True"));
        }, "three pods run");
        var placed = (await Client.CoreV1.ListNamespacedPodAsync(ns)).Items;
        Assert.DoesNotContain(placed, p => p.Spec.NodeName == "node-0");
        Assert.Equal(3, placed.Select(p => p.Spec.NodeName).Distinct().Count());
        Assert.All(placed, p => Assert.Equal("spread", p.Metadata.OwnerReferences.Single().Name));
        await SimulatedClusterFixture.EventuallyAsync(async () =>
            (await Client.AppsV1.ReadNamespacedReplicaSetAsync("spread", ns)).Status?.ReadyReplicas == 3, "the ReplicaSet reports 3 ready");
    }

    [Fact]
    public async Task An_evicted_pod_is_replaced_on_another_schedulable_node_and_never_on_a_cordoned_one()
    {
        var ns = await cluster.NewNamespaceAsync("evict");
        await Client.AppsV1.CreateNamespacedReplicaSetAsync(ObjectLifecycleTests.ReplicaSet("mover", 1), ns);
        V1Pod? original = null;
        await SimulatedClusterFixture.EventuallyAsync(async () =>
        {
            original = (await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Running")).Items.SingleOrDefault();
            return original is not null;
        }, "the pod runs");
        var node = original!.Spec.NodeName;
        await Client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":true}}", V1Patch.PatchType.StrategicMergePatch), node);
        try
        {
            await Client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = original.Metadata.Name, NamespaceProperty = ns } }, original.Metadata.Name, ns);
            await SimulatedClusterFixture.EventuallyAsync(async () =>
            {
                var pods = (await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Running")).Items;
                return pods.Count == 1 && pods[0].Metadata.Name != original.Metadata.Name;
            }, "a replacement runs");
            var replacement = (await Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Single();
            Assert.NotEqual(node, replacement.Spec.NodeName);
            Assert.NotEqual("node-0", replacement.Spec.NodeName);
        }
        finally
        {
            await Client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":null}}", V1Patch.PatchType.StrategicMergePatch), node);
        }
    }

    [Fact]
    public async Task A_Deployment_gets_a_ReplicaSet_for_its_template_and_running_pods()
    {
        var ns = await cluster.NewNamespaceAsync("deploy");
        var rs = ObjectLifecycleTests.ReplicaSet("web", 2);
        await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec { Replicas = 2, Selector = rs.Spec.Selector, Template = rs.Spec.Template },
        }, ns);
        await SimulatedClusterFixture.EventuallyAsync(async () =>
            (await Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Status?.ReadyReplicas == 2, "the Deployment reports 2 ready");
        var owned = Assert.Single((await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items);
        Assert.Equal("Deployment", owned.Metadata.OwnerReferences.Single().Kind);
        Assert.Equal($"web-{owned.Metadata.Labels[DeploymentController.HashLabel]}", owned.Metadata.Name);
        var pods = (await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{DeploymentController.HashLabel}={owned.Metadata.Labels[DeploymentController.HashLabel]}")).Items;
        Assert.Equal(2, pods.Count);
    }

    [Fact]
    public void Options_reject_more_control_plane_nodes_than_nodes_naming_the_option()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new NodeSimulatorOptions { Nodes = 1, ControlPlaneNodes = 2 }.Validate());
        Assert.Equal("ControlPlaneNodes", e.ParamName);
    }

    [Fact]
    public void Node_selector_groups_label_workers_round_robin()
    {
        var options = new NodeSimulatorOptions { Nodes = 5, ControlPlaneNodes = 1, NodeSelectorGroups = 2 };
        var labels = Enumerable.Range(0, 5).Select(i => SimulatedNodeFactory.Create(options, i, DateTime.UtcNow).Metadata.Labels
            .TryGetValue(SimulatedNodeFactory.NodeSelectorLabel, out var group) ? group : null).ToList();
        Assert.Equal([null, "group-0", "group-1", "group-0", "group-1"], labels);
    }
}
