using System.Management.Automation;
using KubeOS.PowerShell.Tests.Cluster;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Sandbox;

public sealed class SandboxCmdletTests(SandboxSessionFixture fixture) : IClassFixture<SandboxSessionFixture>
{
    private readonly PowerShellSession _ps = fixture.Session;

    [Fact]
    public void Start_returns_a_typed_SandboxInfo_for_a_running_process_and_reports_progress()
    {
        var info = Assert.Single(fixture.Start.Output);

        Assert.Equal("KubeOS.PowerShell.SandboxInfo", info.BaseObject.GetType().FullName);
        Assert.Equal("fixture", info.Properties["Name"].Value);
        Assert.Equal(SandboxSessionFixture.NodeCount, info.Properties["Nodes"].Value);
        Assert.Equal(0, info.Properties["Workloads"].Value);
        var endpoint = Assert.IsType<Uri>(info.Properties["Endpoint"].Value);
        Assert.Equal("https", endpoint.Scheme);
        Assert.Equal("127.0.0.1", endpoint.Host);
        Assert.True(File.Exists(fixture.Kubeconfig));
        Assert.True(SandboxSessionFixture.IsRunning(fixture.ProcessId));
        Assert.InRange((DateTime)info.Properties["StartTime"].Value, DateTime.Now.AddMinutes(-10), DateTime.Now);

        var progress = fixture.Start.Progress;
        Assert.Contains(progress, p => p.StatusDescription.Contains("Installing the KubeOS CRDs"));
        Assert.Equal([5, 20, 50, 70, 90], progress.Where(p => p.RecordType == ProgressRecordType.Processing).Select(p => p.PercentComplete));
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
    }

    [Fact]
    public void The_sandbox_serves_the_KubeOS_CRDs_and_its_nodes_to_kubectl()
    {
        var resources = fixture.Kubectl.Run("api-resources --api-group=upgrade.openeuler.org -o name").Succeeded();
        Assert.Equal(["os.upgrade.openeuler.org", "osinstances.upgrade.openeuler.org"],
            resources.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        fixture.Kubectl.Run("get os -A").Succeeded();
        var nodes = fixture.Kubectl.Run("get nodes -o name").Succeeded();
        Assert.Equal(SandboxSessionFixture.NodeCount, nodes.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Get_KubeOSSandbox_lists_the_running_sandbox_as_a_table_and_completes_names()
    {
        var listed = _ps.Run("Get-KubeOSSandbox -Name fix*");
        Assert.Equal(fixture.ProcessId, Assert.Single(listed.Output).Properties["ProcessId"].Value);

        var text = _ps.Render("Get-KubeOSSandbox");
        Assert.Matches(@"Name\s+ProcessId\s+Nodes\s+Endpoint\s+StartTime\s+KubeconfigPath", text);
        Assert.Matches($@"fixture\s+{fixture.ProcessId}\s+{SandboxSessionFixture.NodeCount}\s+https://127\.0\.0\.1:", text);

        var completions = _ps.Run("""
            $line = 'Stop-KubeOSSandbox -Name fi'
            [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches |
                ForEach-Object CompletionText
            """);
        Assert.Equal("fixture", Assert.Single(completions.Output).ToString());
    }

    [Fact]
    public void WhatIf_on_Start_and_Stop_changes_nothing()
    {
        var start = _ps.Run("Start-KubeOSSandbox -Nodes 1 -Name never -WhatIf");
        Assert.Empty(start.Output);
        Assert.Empty(start.Errors);
        Assert.Contains("What if: Performing the operation \"Start KubeOS sandbox\" on target \"never (1 node(s), 0 workload(s))\"", start.HostText);

        var stop = _ps.Run("Get-KubeOSSandbox | Stop-KubeOSSandbox -WhatIf");
        Assert.Contains($"What if: Performing the operation \"Stop KubeOS sandbox\" on target \"fixture (process {fixture.ProcessId})\"", stop.HostText);

        Assert.Equal(["fixture"], _ps.Run("Get-KubeOSSandbox").Output.Select(o => (string)o.Properties["Name"].Value));
        Assert.True(SandboxSessionFixture.IsRunning(fixture.ProcessId));
        Assert.True(File.Exists(fixture.Kubeconfig));
    }

    [Fact]
    public void A_name_in_use_and_an_unknown_name_are_reported_with_their_ids()
    {
        var inUse = _ps.Catch("Start-KubeOSSandbox -Name fixture");
        Assert.Equal("SandboxNameInUse,KubeOS.PowerShell.Sandbox.StartKubeOSSandboxCommand", inUse?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, inUse!.CategoryInfo.Category);

        var unknown = _ps.Run("Stop-KubeOSSandbox -Name nope, 'also-*'");
        var error = Assert.Single(unknown.Errors);
        Assert.Equal("SandboxNotFound,KubeOS.PowerShell.Sandbox.StopKubeOSSandboxCommand", error.FullyQualifiedErrorId);
        Assert.Equal("nope", error.TargetObject);
        Assert.True(SandboxSessionFixture.IsRunning(fixture.ProcessId));
    }

    [Fact]
    public void Stop_ends_the_process_removes_its_files_and_the_previous_sandbox_becomes_the_default_again()
    {
        var started = _ps.Run("Start-KubeOSSandbox 1 -Name second");
        Assert.Empty(started.Errors);
        var second = Assert.Single(started.Output);
        var pid = (int)second.Properties["ProcessId"].Value;
        var kubeconfig = (string)second.Properties["KubeconfigPath"].Value;
        Assert.Single(_ps.Run("Get-KubeOSNode").Output); // the newest sandbox is the default cluster

        var stopped = _ps.Run("$s = Get-KubeOSSandbox -Name second; $s | Stop-KubeOSSandbox -Verbose");

        Assert.Empty(stopped.Errors);
        Assert.Contains(stopped.Verbose, v => v.Message.StartsWith("Sandbox 'second' stopped"));
        Assert.False(SandboxSessionFixture.IsRunning(pid));
        Assert.False(Directory.Exists(Path.GetDirectoryName(kubeconfig)));
        Assert.Equal(["fixture"], _ps.Run("Get-KubeOSSandbox").Output.Select(o => (string)o.Properties["Name"].Value));
        Assert.Equal(SandboxSessionFixture.NodeCount, _ps.Run("Get-KubeOSNode").Output.Count);
    }

    [Fact]
    public void Closing_the_runspace_stops_the_sandboxes_it_started()
    {
        int pid;
        string kubeconfig;
        using (var session = new PowerShellSession())
        {
            var info = Assert.Single(session.Run("Start-KubeOSSandbox -Nodes 1").Output);
            Assert.Equal("sandbox", info.Properties["Name"].Value);
            pid = (int)info.Properties["ProcessId"].Value;
            kubeconfig = (string)info.Properties["KubeconfigPath"].Value;
            Assert.True(SandboxSessionFixture.IsRunning(pid));
        }

        Assert.False(SandboxSessionFixture.IsRunning(pid));
        Assert.False(File.Exists(kubeconfig));
    }

    [Fact]
    public void Dotnet_is_the_first_match_on_PATH_and_a_PATH_without_it_finds_nothing()
    {
        var folders = new[] { Directory.CreateTempSubdirectory("path-a-"), Directory.CreateTempSubdirectory("path-b-") };
        try
        {
            File.WriteAllText(Path.Combine(folders[1].FullName, "dotnet"), "");
            var path = string.Join(Path.PathSeparator, "/nonexistent", folders[0].FullName, folders[1].FullName);

            var found = _ps.Run("[KubeOS.PowerShell.Sandbox.DotnetLocator]::Find($Path, $null)", new() { ["Path"] = path });
            var missing = _ps.Run("[KubeOS.PowerShell.Sandbox.DotnetLocator]::Find($Path, $null)",
                new() { ["Path"] = string.Join(Path.PathSeparator, "/nonexistent", folders[0].FullName) });

            Assert.Equal(Path.Combine(folders[1].FullName, "dotnet"), Assert.Single(found.Output).ToString());
            Assert.Null(Assert.Single(missing.Output));
        }
        finally
        {
            foreach (var folder in folders) folder.Delete(recursive: true);
        }
    }
}
