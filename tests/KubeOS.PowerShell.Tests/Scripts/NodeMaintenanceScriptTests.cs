using KubeOS.PowerShell.Tests.Cluster;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Scripts;

/// <summary>
/// The example operations script of tests/Pester runs here through the engine against a sandbox, on the paths that
/// need no upgrade: it must read the module's real node objects correctly (Group, Ready, OSVersion) before its Pester
/// tests mean anything.
/// </summary>
public sealed class NodeMaintenanceScriptTests(SandboxSessionFixture fixture) : IClassFixture<SandboxSessionFixture>
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "Pester", "Scripts", "Invoke-NodeMaintenance.ps1");
    private readonly PowerShellSession _ps = fixture.Session;

    private ScriptResult RunScript(string group, string version, string extra = "")
    {
        fixture.Kubectl.Run("label node node-1 node-2 upgrade.openeuler.org/node-selector=rack-a --overwrite").Succeeded();
        return _ps.Run($"& $Script -Group $Group -Version $Version -ContainerImage registry.example/kubeos:v2 -Checksum $Checksum {extra}",
            new() { ["Script"] = Script, ["Group"] = group, ["Version"] = version, ["Checksum"] = new string('a', 64) });
    }

    [Fact]
    public void A_group_without_nodes_stops_the_script_naming_the_label()
    {
        var result = RunScript("no-such-group", "KubeOS v2");

        Assert.NotNull(result.Terminating);
        Assert.Contains("No node is in group 'no-such-group' (label upgrade.openeuler.org/node-selector=no-such-group)", result.Terminating.Message);
    }

    [Fact]
    public void A_group_already_on_the_version_needs_nothing()
    {
        var result = RunScript("rack-a", "KubeOS v1", "-Verbose");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        var summary = Assert.Single(result.Output);
        Assert.Equal("rack-a", summary.Properties["Group"].Value);
        Assert.Empty((object[])summary.Properties["Pending"].Value);
        Assert.Contains(result.Verbose, v => v.Message == "Every node of group 'rack-a' already runs KubeOS v1.");
    }

    [Fact]
    public void WhatIf_names_the_group_and_its_pending_nodes_and_starts_nothing()
    {
        var result = RunScript("rack-a", "KubeOS v2", "-WhatIf");

        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.ToString());
        Assert.Contains("What if: Performing the operation \"Upgrade to KubeOS v2\" on target \"group rack-a (2 node(s))\".", result.HostText);
        var summary = Assert.Single(result.Output);
        Assert.Equal(["node-1", "node-2"], ((object[])summary.Properties["Pending"].Value).Select(o => o.ToString()));
        Assert.Equal("", fixture.Kubectl.Run("get os -A -o name").Succeeded().StdOut.Trim());
    }
}
