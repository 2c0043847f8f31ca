using System.Management.Automation;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Cluster;

public sealed class GetKubeOSNodeTests(SandboxSessionFixture fixture) : IClassFixture<SandboxSessionFixture>
{
    private readonly PowerShellSession _ps = fixture.Session;

    [Fact]
    public void Lists_every_sandbox_node_with_its_OS_version_readiness_and_roles()
    {
        var result = _ps.Run("Get-KubeOSNode");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var nodes = result.Output.ToList();
        Assert.Equal(["node-0", "node-1", "node-2"], nodes.Select(n => (string)n.Properties["Name"].Value));
        Assert.All(nodes, n =>
        {
            Assert.Equal("KubeOS.PowerShell.KubeOSNode", n.BaseObject.GetType().FullName);
            Assert.Equal("KubeOS v1", n.Properties["OSVersion"].Value);
            Assert.Equal(true, n.Properties["Ready"].Value);
            Assert.Equal(true, n.Properties["Schedulable"].Value);
            Assert.Equal("Ready", n.Properties["Status"].Value);
            Assert.StartsWith("5.10.0", (string)n.Properties["KernelVersion"].Value);
            Assert.Equal(n.Properties["Name"].Value, n.Properties["NodeName"].Value);
        });
        Assert.Equal(["control-plane"], (string[])nodes[0].Properties["Roles"].Value);
        Assert.Equal(["worker"], (string[])nodes[1].Properties["Roles"].Value);
        // node-0 never gets an OSInstance in these tests.
        Assert.Equal("-", nodes[0].Properties["NodeStatus"].Value);
        Assert.Null(nodes[0].Properties["Phase"].Value);
    }

    [Fact]
    public void The_default_view_is_a_kubectl_like_table()
    {
        var text = _ps.Render("Get-KubeOSNode -Name node-0");

        Assert.Matches(@"Name\s+Status\s+Roles\s+OSVersion\s+NodeStatus\s+Phase\s+SysConfig\s+UpgradeConfig\s+Group\s+KernelVersion", text);
        Assert.Matches(@"node-0\s+Ready\s+control-plane\s+KubeOS v1\s+-\s+-\s+-\s+-\s+-\s+5\.10\.0", text);
    }

    [Fact]
    public void Wildcards_select_nodes_ignoring_case_and_a_wildcard_without_match_is_not_an_error()
    {
        var result = _ps.Run("Get-KubeOSNode -Name 'NODE-[12]', 'node-2', 'nothing-*'");

        Assert.Empty(result.Errors);
        Assert.Equal(["node-1", "node-2"], result.Output.Select(n => (string)n.Properties["Name"].Value));
    }

    [Fact]
    public void A_plain_name_that_matches_nothing_is_a_non_terminating_NodeNotFound_error()
    {
        var result = _ps.Run("Get-KubeOSNode -Name node-1, node-9; 'after'");

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.Equal("NodeNotFound,KubeOS.PowerShell.Cluster.GetKubeOSNodeCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("node-9", error.TargetObject);
        Assert.Contains("no node named 'node-9'", error.Exception.Message);
        Assert.Equal(["node-1", "after"], result.Output.Select(o => o.Properties["Name"]?.Value as string ?? o.ToString()));

        var caught = _ps.Catch("Get-KubeOSNode -Name node-9 -ErrorAction Stop");
        Assert.Equal("NodeNotFound,KubeOS.PowerShell.Cluster.GetKubeOSNodeCommand", caught?.FullyQualifiedErrorId);
    }

    [Fact]
    public void Nodes_filter_in_the_pipeline_and_bind_back_by_property_name()
    {
        var workers = _ps.Run("Get-KubeOSNode | Where-Object { $_.Roles -contains 'worker' -and $_.Ready } | ForEach-Object NodeName");
        Assert.Equal(["node-1", "node-2"], workers.Output.Select(o => o.ToString()));

        var rebound = _ps.Run("[pscustomobject]@{ NodeName = 'node-2' }, [pscustomobject]@{ Name = 'node-0' } | Get-KubeOSNode");
        Assert.Empty(rebound.Errors);
        Assert.Equal(["node-2", "node-0"], rebound.Output.Select(o => (string)o.Properties["Name"].Value));

        var strings = _ps.Run("'node-1' | Get-KubeOSNode | ForEach-Object OSVersion");
        Assert.Equal("KubeOS v1", Assert.Single(strings.Output).ToString());
    }

    [Fact]
    public void An_OSInstance_adds_node_status_phase_message_and_config_versions()
    {
        fixture.Kubectl.Run("apply -f -", """
            apiVersion: upgrade.openeuler.org/v1alpha1
            kind: OSInstance
            metadata:
              name: node-2
              namespace: default
            spec:
              nodestatus: upgrade
              sysconfigs:
                version: v2
                configs: []
              upgradeconfigs:
                version: u1
                configs: []
            """).Succeeded();
        fixture.Kubectl.Run("patch osinstance node-2 -n default --subresource=status --type=merge -p " +
            """{"status":{"phase":"Rebooting","message":"waiting-for-the-node","sysconfigs":{"version":"v1","configs":[]}}}""").Succeeded();

        var node = Assert.Single(_ps.Run("Get-KubeOSNode -Name node-2").Output);

        Assert.Equal("upgrade", node.Properties["NodeStatus"].Value);
        Assert.Equal("Rebooting", node.Properties["Phase"].Value);
        Assert.Equal("waiting-for-the-node", node.Properties["Message"].Value);
        Assert.Equal("v2", node.Properties["DesiredSysConfigVersion"].Value);
        Assert.Equal("v1", node.Properties["CurrentSysConfigVersion"].Value);
        Assert.Equal("u1", node.Properties["DesiredUpgradeConfigVersion"].Value);
        Assert.Null(node.Properties["CurrentUpgradeConfigVersion"].Value);
        Assert.Matches(@"node-2\s+Ready\s+worker\s+KubeOS v1\s+upgrade\s+Rebooting\s+v1/v2\s+-/u1", _ps.Render("Get-KubeOSNode -Name node-2"));
    }

    [Fact]
    public void Pre_staging_shows_in_its_own_column()
    {
        fixture.Kubectl.Run("apply -f -", """
            apiVersion: upgrade.openeuler.org/v1alpha1
            kind: OSInstance
            metadata:
              name: node-1
              namespace: default
            spec:
              nodestatus: idle
            """).Succeeded();
        fixture.Kubectl.Run("patch osinstance node-1 -n default --subresource=status --type=merge -p " +
            """{"status":{"phase":"Idle","prestage":{"osversion":"v2","state":"Staged","message":"verified"}}}""").Succeeded();

        var node = Assert.Single(_ps.Run("Get-KubeOSNode -Name node-1").Output);

        Assert.Equal("Staged v2", node.Properties["PreStage"].Value);
        Assert.Matches(@"PreStage", _ps.Render("Get-KubeOSNode -Name node-1"));
        Assert.Matches(@"node-1\s+Ready.*Staged v2", _ps.Render("Get-KubeOSNode -Name node-1"));
    }

    [Fact]
    public void Verbose_names_the_cluster_and_every_API_call()
    {
        var result = _ps.Run("Get-KubeOSNode -Verbose");

        var lines = result.Verbose.Select(v => v.Message).ToList();
        Assert.Contains(lines, l => l.StartsWith("Cluster https://127.0.0.1:") && l.Contains("this session's sandbox"));
        Assert.Contains(lines, l => l.StartsWith("GET /api/v1/nodes") && l.Contains(" -> 200 OK ("));
        Assert.Contains(lines, l => l.StartsWith("GET /apis/upgrade.openeuler.org/v1alpha1/namespaces/default/osinstances") && l.Contains(" -> 200 OK ("));

        Assert.Empty(_ps.Run("Get-KubeOSNode").Verbose);
    }

    [Fact]
    public void Node_names_and_contexts_complete_from_the_sandbox()
    {
        var nodes = _ps.Run("""
            $line = 'Get-KubeOSNode -Name node-'
            [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches |
                ForEach-Object CompletionText
            """);
        Assert.Equal(["node-0", "node-1", "node-2"], nodes.Output.Select(o => o.ToString()));

        var one = _ps.Run("""
            $line = 'Get-KubeOSNode -Name NODE-1'
            [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches |
                ForEach-Object CompletionText
            """);
        Assert.Equal("node-1", Assert.Single(one.Output).ToString());

        var currentContext = fixture.Kubectl.Run("config current-context").Succeeded().StdOut.Trim();
        var contexts = _ps.Run("""
            $line = 'Get-KubeOSNode -Context '
            [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches |
                ForEach-Object CompletionText
            """);
        Assert.Equal(currentContext, Assert.Single(contexts.Output).ToString());
    }

    [Fact]
    public void An_explicit_kubeconfig_and_context_are_used_and_bad_ones_are_clear_terminating_errors()
    {
        var context = fixture.Kubectl.Run("config current-context").Succeeded().StdOut.Trim();
        var explicitly = _ps.Run("Get-KubeOSNode -Kubeconfig $Path -Context $Context -Verbose",
            new() { ["Path"] = fixture.Kubeconfig, ["Context"] = context });
        Assert.Equal(SandboxSessionFixture.NodeCount, explicitly.Output.Count);
        Assert.Contains(explicitly.Verbose, v => v.Message.Contains($"from -Kubeconfig {fixture.Kubeconfig}"));

        var badContext = _ps.Catch("Get-KubeOSNode -Kubeconfig $Path -Context nope", new() { ["Path"] = fixture.Kubeconfig });
        Assert.Equal("ContextNotFound,KubeOS.PowerShell.Cluster.GetKubeOSNodeCommand", badContext?.FullyQualifiedErrorId);
        Assert.Contains(context, badContext!.ErrorDetails.RecommendedAction);

        var missing = _ps.Catch("Get-KubeOSNode -Kubeconfig ./no-such-kubeconfig");
        Assert.Equal("KubeconfigNotFound,KubeOS.PowerShell.Cluster.GetKubeOSNodeCommand", missing?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing!.CategoryInfo.Category);
    }

    [Fact]
    public void Another_runspace_does_not_see_this_sessions_sandbox_but_can_use_its_kubeconfig()
    {
        using var other = new PowerShellSession();

        Assert.Empty(other.Run("Get-KubeOSSandbox").Output);
        var nodes = other.Run("Get-KubeOSNode -Kubeconfig $Path -Name node-1", new() { ["Path"] = fixture.Kubeconfig });
        Assert.Equal("node-1", (string)Assert.Single(nodes.Output).Properties["Name"].Value);
    }
}
