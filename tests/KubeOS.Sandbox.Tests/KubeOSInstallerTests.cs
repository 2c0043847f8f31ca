using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api.Crds;

namespace KubeOS.Sandbox.Tests;

/// <summary>--install-kubeos: the embedded CRDs and deployment manifests, applied at start, bring KubeOS up.</summary>
public sealed class KubeOSInstallerTests(KubeOSComponentsFixture fixture) : IClassFixture<KubeOSComponentsFixture>
{
    [Fact]
    public void The_embedded_deployment_is_applied_definitions_then_namespace_then_RBAC_then_workloads()
    {
        Assert.Equal(["deployment.yaml", "namespace.yaml", "proxy-daemonset.yaml", "proxy-rbac.yaml", "rbac.yaml"],
            DeploymentManifests.All.Select(m => m.File));
        var objects = CustomResourceDefinitions.All.Values.Concat(DeploymentManifests.All.Select(m => m.Yaml))
            .SelectMany(yaml => KubernetesYaml.LoadAllFromString(yaml)).Cast<IKubernetesObject<V1ObjectMeta>>();
        var kinds = DeploymentOrder.Sort(objects, o => o.Kind, o => o.Metadata.Name).Select(o => o.Kind).Distinct().ToList();
        Assert.Equal(["CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
            "Deployment", "DaemonSet"], kinds);
        Assert.Contains(DeploymentManifests.All, m => m.Yaml.Contains("kind: DaemonSet") && m.Yaml.Contains("image: os-proxy"));
    }

    [Fact]
    public async Task Installing_runs_the_operator_and_a_proxy_per_node_and_a_second_install_keeps_what_is_there()
    {
        var ct = TestContext.Current.CancellationToken;
        await KubeOSInstaller.InstallAsync(fixture.Client, TimeSpan.FromSeconds(30), ct);
        await KubeOSInstaller.InstallAsync(fixture.Client, TimeSpan.FromSeconds(30), ct);

        var nodes = fixture.Simulator.NodeNames.Order().ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var pods = (await fixture.Client.CoreV1.ListNamespacedPodAsync(DeploymentManifests.Namespace, cancellationToken: ct)).Items;
            var running = pods.Where(p => p.Status?.Phase == "Running").Select(p => p.Metadata.Labels["control-plane"]).ToList();
            var list = await fixture.Client.CustomObjects.ListNamespacedCustomObjectAsync("upgrade.openeuler.org", "v1alpha1", "default", "osinstances", cancellationToken: ct);
            var instances = JsonNode.Parse(KubernetesJson.Serialize(list))!["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).Order().ToList();
            if (running.Contains("upgrade-operator") && running.Count(r => r == "upgrade-proxy") == nodes.Count && instances.SequenceEqual(nodes)) break;
            Assert.True(DateTime.UtcNow < deadline, $"running: {string.Join(", ", running)}; OSInstances: {string.Join(", ", instances)}");
            await Task.Delay(200, ct);
        }
    }

    [Fact]
    public async Task The_process_installs_KubeOS_before_it_prints_the_kubeconfig()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("kubeos-install-").FullName;
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kubeos-sandbox.dll"), "--nodes", "2", "--install-kubeos",
                     "--agent-reboot-seconds", "0.2", "--kubeconfig", Path.Combine(dir, "config") })
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.Equal($"kubeconfig: {Path.Combine(dir, "config")}", first);
            var kubectl = new Kubectl(Path.Combine(dir, "config"));
            var objects = (await kubectl.RunAsync("get crd,deployment,daemonset -A -o name")).Succeeded().Stdout;
            Assert.Contains("customresourcedefinition.apiextensions.k8s.io/os.upgrade.openeuler.org", objects);
            Assert.Contains("deployment.apps/upgrade-operator", objects);
            Assert.Contains("daemonset.apps/upgrade-proxy", objects);
        }
        finally
        {
            process.StandardInput.Close();
            if (!await Task.Run(() => process.WaitForExit(15000), ct)) process.Kill(entireProcessTree: true);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Install_without_agents_is_refused_with_a_message_naming_the_options()
    {
        var ct = TestContext.Current.CancellationToken;
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kubeos-sandbox.dll"), "--install-kubeos", "--no-agents" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--install-kubeos needs the simulated os-agents", stderr);
    }
}
