using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Cluster;

/// <summary>
/// KubeOS.Client's typed OS/OSInstance calls, driven from the engine through the assemblies the module loaded (the
/// tests never load the module's dlls themselves), against the sandbox and checked with kubectl.
/// </summary>
public sealed class KubeOSClusterTests(SandboxSessionFixture fixture) : IClassFixture<SandboxSessionFixture>
{
    private const string Connect = """
        $source = [KubeOS.Client.Configuration.KubeconfigSource]::new([string[]] @($Path), 'Parameter')
        $cluster = [KubeOS.Client.KubeOSCluster]::Connect([KubeOS.Client.Configuration.KubeconfigLoader]::Load($source, $null), $null)
        $none = [System.Threading.CancellationToken]::None
        """;

    private readonly PowerShellSession _ps = fixture.Session;

    [Fact]
    public void OS_objects_are_created_read_listed_and_merge_patched_with_KubeOS_field_names()
    {
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Samples, "good", "upgrade-containerd.yaml"));
        var result = _ps.Run(Connect + "\n" + """
            $os = [KubeOS.Api.Serialization.ManifestSerializer]::FromYaml[KubeOS.Api.Models.OS]($Yaml)
            $created = $cluster.OS.CreateAsync($os, $none).GetAwaiter().GetResult()
            $patch = [System.Text.Json.Nodes.JsonNode]::Parse('{"spec":{"maxunavailable":1,"nodeselector":"group-a"}}')
            $patched = $cluster.OS.PatchAsync('default', $created.Metadata.Name, $patch, $none).GetAwaiter().GetResult()
            $read = $cluster.OS.GetAsync('default', $created.Metadata.Name, $none).GetAwaiter().GetResult()
            $listed = $cluster.OS.ListAsync('default', $null, $none).GetAwaiter().GetResult()
            $missing = $cluster.OS.GetAsync('default', 'no-such-os', $none).GetAwaiter().GetResult()
            $cluster.Dispose()
            "$($created.Spec.MaxUnavailable) $($created.Metadata.Uid.Length -gt 0)"
            "$($patched.Spec.MaxUnavailable) $($read.Spec.MaxUnavailable) $($read.Spec.NodeSelector) $($read.Spec.ContainerImage)"
            "$(@($listed | ForEach-Object { $_.Metadata.Name }) -join ',') $($null -eq $missing)"
            """, new() { ["Path"] = fixture.Kubeconfig, ["Yaml"] = yaml });

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        Assert.Equal(["3 True", "1 1 group-a registry.example.internal/kubeos/upgrade:1.0.3", "os-upgrade-containerd True"],
            result.Output.Select(o => o.ToString()));
        var onServer = fixture.Kubectl.Run("get os os-upgrade-containerd -n default -o jsonpath={.spec.maxunavailable},{.spec.nodeselector},{.spec.evictpodforce}").Succeeded();
        Assert.Equal("1,group-a,true", onServer.StdOut);
    }

    [Fact]
    public void OSInstances_are_created_and_listed_and_a_rejected_object_names_the_server_and_reason()
    {
        var result = _ps.Run(Connect + "\n" + """
            $instance = [KubeOS.Api.Models.OSInstance]::new()
            $instance.Metadata = [KubeOS.Api.Models.ObjectMeta]@{ Name = 'node-1'; Namespace = 'default' }
            $instance.Spec = [KubeOS.Api.Models.OSInstanceSpec]@{ NodeStatus = 'idle' }
            $null = $cluster.OSInstances.CreateAsync($instance, $none).GetAwaiter().GetResult()
            $all = $cluster.ListOSInstancesAsync($none).GetAwaiter().GetResult()
            @($all | ForEach-Object { "$($_.Metadata.Name)=$($_.Spec.NodeStatus)" }) -join ','
            try {
                $null = $cluster.OSInstances.CreateAsync($instance, $none).GetAwaiter().GetResult()
            } catch {
                $e = $_.Exception
                while ($e -isnot [KubeOS.Client.ClusterApiException] -and $e.InnerException) { $e = $e.InnerException }
                "$([int] $e.StatusCode) $($e.Message)"
            }
            $cluster.Dispose()
            """, new() { ["Path"] = fixture.Kubeconfig });

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        Assert.Equal("node-1=idle", result.Output[0].ToString());
        var conflict = result.Output[1].ToString();
        Assert.StartsWith("409 create osinstances.upgrade.openeuler.org default/node-1 failed on https://127.0.0.1:", conflict);
        Assert.Contains("already exists", conflict);
        Assert.Equal("idle", fixture.Kubectl.Run("get osinstance node-1 -n default -o jsonpath={.spec.nodestatus}").Succeeded().StdOut);
    }
}
