using KubeOS.PowerShell.Tests.Hosting;
using KubeOS.PowerShell.Tests.Rollouts;

namespace KubeOS.PowerShell.Tests.Examples;

// One KubeOS sandbox (node-0 control plane, node-1 and node-2 workers) per runbook: each starts from v1 everywhere.
public sealed class CanaryExampleFixture : KubeOSSandboxFixture;
public sealed class BatchExampleFixture : KubeOSSandboxFixture;
public sealed class ConfigExampleFixture : KubeOSSandboxFixture;

/// <summary>
/// The runbooks in examples/ run through the hosted engine on the session's sandbox (no -Sandbox: they act on the
/// current cluster as they would on a real one), and the cluster is checked afterwards through kubectl.
/// </summary>
public static class Runbook
{
    public static ScriptResult Run(KubeOSSandboxFixture fixture, string file, string arguments = "")
    {
        var path = Path.Combine(RepoPaths.Root, "examples", file);
        // The runbooks import KubeOS by name, as from an installed module: the packaged layout goes on the module path.
        var modules = Path.GetDirectoryName(Path.GetDirectoryName(RepoPaths.ModuleFolder))!;
        var result = fixture.Session.Run($"$env:PSModulePath = '{modules}' + [IO.Path]::PathSeparator + $env:PSModulePath; & '{path}' {arguments}");
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        return result;
    }

    public static string Label(KubeOSSandboxFixture fixture, string node) =>
        fixture.Kubectl.Run($"get node {node} -o jsonpath={{.metadata.labels.upgrade\\.openeuler\\.org/node-selector}}").Succeeded().StdOut;
}

public sealed class CanaryExampleTests(CanaryExampleFixture fixture) : IClassFixture<CanaryExampleFixture>
{
    [Fact]
    public void The_canary_is_upgraded_alone_first_then_the_other_workers()
    {
        var result = Runbook.Run(fixture, "canary-upgrade.ps1", "-TimeoutSeconds 120");

        Assert.Equal(["KubeOS v1", "KubeOS v2", "KubeOS v2"], new[] { "node-0", "node-1", "node-2" }.Select(n => fixture.OsImages()[n]));
        Assert.Equal("canary", Runbook.Label(fixture, "node-1"));
        Assert.Equal("", Runbook.Label(fixture, "node-2"));
        // Two OS objects: the canary's (group canary) and the rest's (no group), in that order of the output.
        Assert.Equal("canary", (string?)fixture.OS("kubeos-canary")!["spec"]!["nodeselector"]);
        Assert.Contains((string?)fixture.OS("kubeos")!["spec"]!["nodeselector"], new[] { null, "no-label" });
        var lines = result.Output.Select(o => o.ToString()).ToList();
        Assert.True(lines.FindIndex(l => l.StartsWith("Canary node-1 runs KubeOS v2")) is >= 0 and var at
            && lines.FindIndex(l => l.StartsWith("All 2 worker(s) run KubeOS v2")) > at, string.Join("\n", lines));
    }
}

public sealed class BatchExampleTests(BatchExampleFixture fixture) : IClassFixture<BatchExampleFixture>
{
    [Fact]
    public void Each_batch_is_a_group_upgraded_inside_the_window_one_after_the_other()
    {
        var result = Runbook.Run(fixture, "batch-upgrade-by-group.ps1", "-Batches 2 -TimeoutSeconds 120");

        Assert.Equal(("batch-1", "batch-2"), (Runbook.Label(fixture, "node-1"), Runbook.Label(fixture, "node-2")));
        Assert.Equal("KubeOS v2", fixture.OsImages()["node-1"]);
        Assert.Equal("KubeOS v2", fixture.OsImages()["node-2"]);
        foreach (var group in new[] { "batch-1", "batch-2" })
        {
            var spec = fixture.OS($"kubeos-{group}")!["spec"]!;
            Assert.Equal(group, (string?)spec["nodeselector"]);
            Assert.Equal(2, spec["timewindow"]!.AsObject().Count);
            Assert.Equal("containerd", (string?)spec["imagetype"]);
        }
        var lines = result.Output.Select(o => o.ToString()).ToList();
        Assert.True(lines.IndexOf("Batch batch-1 (node-1) runs KubeOS v2.") is >= 0 and var first
            && lines.IndexOf("Batch batch-2 (node-2) runs KubeOS v2.") > first, string.Join("\n", lines));
    }
}

public sealed class ConfigExampleTests(ConfigExampleFixture fixture) : IClassFixture<ConfigExampleFixture>
{
    [Fact]
    public void Every_worker_reports_the_config_version_holding_the_runbooks_settings()
    {
        Runbook.Run(fixture, "fleet-config.ps1", "-Swappiness 7 -TimeoutSeconds 120");

        var os = fixture.OS("kubeos")!;
        var version = (string)os["spec"]!["sysconfigs"]!["version"]!;
        var configs = os["spec"]!["sysconfigs"]!["configs"]!.AsArray().ToDictionary(c => (string)c!["model"]!, c => c!["contents"]!.AsArray());
        Assert.Equal(["grub.cmdline.current", "kernel.sysctl", "kernel.sysctl.persist", "kubernetes.kubelet"], configs.Keys.Order());
        Assert.Contains(configs["kernel.sysctl"], c => (string?)c!["key"] == "vm.swappiness" && (string?)c["value"] == "7");
        foreach (var node in new[] { "node-1", "node-2" })
        {
            var instance = fixture.Json($"get osinstance {node} -n default");
            Assert.Equal(version, (string?)instance["status"]!["sysconfigs"]!["version"]);
        }
    }
}
