using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Sandbox.Simulation;
using KubeOS.Sandbox.Simulation.Agent;
using KubeOS.Sandbox.Simulation.Programs;

namespace KubeOS.Sandbox.Tests;

/// <summary>
/// A sandbox whose kubelets run the KubeOS images for real: the deployment manifests are applied with kubectl, as an
/// administrator does on a cluster, and the operator and proxies that come up roll out an OS upgrade.
/// </summary>
public sealed class KubeOSComponentsFixture : SandboxFixture
{
    public NodeSimulator Simulator { get; private set; } = null!;
    public SimulatedAgentFactory Agents { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Kubectl = new Kubectl(Server.KubeconfigPath);
        Agents = new SimulatedAgentFactory(new SimulatedAgentOptions
        {
            PrepareDuration = TimeSpan.FromMilliseconds(200), RebootDuration = TimeSpan.FromMilliseconds(500),
        });
        Simulator = await NodeSimulator.StartAsync(Client, new NodeSimulatorOptions
        {
            Nodes = 4, SeedDaemonSet = false, ReconcileInterval = TimeSpan.FromMilliseconds(100), Agents = Agents,
            Programs = new KubeOSComponents(Server.KubeconfigPath, Agents.SocketPath) { ProxyPollInterval = TimeSpan.FromMilliseconds(200) },
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Agents.Dispose();
        await base.DisposeAsync();
    }
}

public sealed class KubeOSComponentsTests(KubeOSComponentsFixture fixture) : IClassFixture<KubeOSComponentsFixture>
{
    private static string RepoRoot => typeof(KubeOSComponentsTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;

    [Theory]
    [InlineData("os-proxy", "os-proxy")]
    [InlineData("os-operator:latest", "os-operator")]
    [InlineData("registry.example:5000/kubeos/os-proxy:v2", "os-proxy")]
    [InlineData("registry.example:5000/os-proxy@sha256:abc", "os-proxy")]
    [InlineData("registry.example:5000/kubeos/os-proxy-debug:v2", "os-proxy-debug")]
    public void Image_names_ignore_registry_tag_and_digest(string image, string name) =>
        Assert.Equal(name, KubeOSComponents.ImageName(image));

    [Fact]
    public void Only_the_operator_and_proxy_images_are_run()
    {
        var components = new KubeOSComponents("/nonexistent", n => n);
        Assert.NotNull(components.Find("quay.example/kubeos/os-operator:1.0"));
        Assert.NotNull(components.Find("os-proxy"));
        Assert.Null(components.Find("registry.k8s.io/pause:3.9"));
        Assert.Null(components.Find("os-proxy-debug:v2"));
    }

    [Fact]
    public void Container_environment_resolves_downward_api_fields_and_references()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p-1", NamespaceProperty = "upgrade-system", Labels = new Dictionary<string, string> { ["zone"] = "a" } },
            Spec = new V1PodSpec { NodeName = "node-7", Containers = [] },
        };
        var container = new V1Container
        {
            Name = "c",
            Env =
            [
                new V1EnvVar { Name = "NODE_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.nodeName" } } },
                new V1EnvVar { Name = "ZONE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['zone']" } } },
                new V1EnvVar { Name = "Proxy__Kubeconfig", Value = "/etc/$(NODE_NAME)/kc-$$(ZONE)" },
                new V1EnvVar { Name = "FROM_SECRET", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "s", Key = "k" } } },
            ],
        };
        var env = ContainerEnvironment.Resolve(pod, container);
        Assert.Equal("node-7", env["NODE_NAME"]);
        Assert.Equal("a", env["ZONE"]);
        Assert.Equal("/etc/node-7/kc-$(ZONE)", env["Proxy__Kubeconfig"]);
        Assert.False(env.ContainsKey("FROM_SECRET"));
        Assert.Equal("/etc/node-7/kc-$(ZONE)", ContainerEnvironment.ToConfiguration(env)["Proxy:Kubeconfig"]);
    }

    [Fact]
    public async Task Applied_deployment_manifests_run_the_operator_and_proxies_which_roll_out_an_upgrade()
    {
        var deploy = Path.Combine(RepoRoot, "module", "deploy");
        (await fixture.Kubectl.RunAsync(["apply", "-f", Path.Combine(deploy, "crds")])).Succeeded();
        (await fixture.Kubectl.RunAsync(["apply", "-f", Path.Combine(deploy, "operator", "namespace.yaml")])).Succeeded();
        (await fixture.Kubectl.RunAsync(["apply", "-f", Path.Combine(deploy, "operator")])).Succeeded();

        // Each proxy creates its node's OSInstance: proof that the proxies run.
        var nodes = fixture.Simulator.NodeNames.Order().ToList();
        await EventuallyAsync(async () => (await InstanceNamesAsync()).SetEquals(nodes), "every node's proxy created its OSInstance");

        var os = new JsonObject
        {
            ["apiVersion"] = "upgrade.openeuler.org/v1alpha1", ["kind"] = "OS",
            ["metadata"] = new JsonObject { ["name"] = "components-upgrade", ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["opstype"] = "upgrade", ["osversion"] = "KubeOS v2", ["maxunavailable"] = 1, ["imagetype"] = "disk",
                ["imageurl"] = "https://images.example/v2.tar", ["checksum"] = new string('b', 64), ["flagSafe"] = false, ["mtls"] = false,
                ["containerimage"] = "", ["evictpodforce"] = true, ["timeinterval"] = 0,
            },
        };
        await fixture.Client.CustomObjects.CreateNamespacedCustomObjectAsync(os, "upgrade.openeuler.org", "v1alpha1", "default", "os");

        // The operator excludes the control-plane node; every worker ends on the new version, uncordoned.
        var workers = (await fixture.Client.CoreV1.ListNodeAsync()).Items
            .Where(n => n.Metadata.Labels?.ContainsKey("node-role.kubernetes.io/control-plane") != true).Select(n => n.Metadata.Name).ToList();
        Assert.NotEmpty(workers);
        await EventuallyAsync(async () =>
        {
            var all = (await fixture.Client.CoreV1.ListNodeAsync()).Items.Where(n => workers.Contains(n.Metadata.Name)).ToList();
            return all.All(n => n.Status.NodeInfo.OsImage == "KubeOS v2" && n.Spec.Unschedulable != true && ClusterView.IsReady(n));
        }, "every worker runs KubeOS v2, Ready and schedulable", TimeSpan.FromSeconds(60));

        // Deleting the DaemonSet's pods stops the proxies; the operator replicas keep running.
        (await fixture.Kubectl.RunAsync("delete daemonset upgrade-proxy -n upgrade-system")).Succeeded();
        var operatorPods = (await fixture.Client.CoreV1.ListNamespacedPodAsync("upgrade-system", labelSelector: "control-plane=upgrade-operator")).Items.Count;
        Assert.True(operatorPods > 0);
        await EventuallyAsync(async () => (await fixture.Client.CoreV1.ListNamespacedPodAsync("upgrade-system", labelSelector: "control-plane=upgrade-proxy")).Items.Count == 0,
            "the DaemonSet's pods are gone");
    }

    private async Task<HashSet<string>> InstanceNamesAsync()
    {
        var list = await fixture.Client.CustomObjects.ListClusterCustomObjectAsync("upgrade.openeuler.org", "v1alpha1", "osinstances");
        var items = JsonNode.Parse(KubernetesJson.Serialize(list))!["items"]!.AsArray();
        return items.Select(i => (string)i!["metadata"]!["name"]!).ToHashSet();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException("timed out waiting until " + what);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
