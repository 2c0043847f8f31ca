using KubeOS.PowerShell.Tests.Cluster;

namespace KubeOS.PowerShell.Tests.Rollouts;

/// <summary>Its own sandbox (without the operator: only labels change), so the groups it makes touch no other test.</summary>
public sealed class NodeGroupSandboxFixture : SandboxSessionFixture;

public sealed class SetKubeOSNodeGroupTests(NodeGroupSandboxFixture fixture) : IClassFixture<NodeGroupSandboxFixture>
{
    private const string Label = "upgrade.openeuler.org/node-selector";

    private string? GroupOf(string node)
    {
        var result = fixture.Kubectl.Run($"get node {node} -o jsonpath={{.metadata.labels.upgrade\\.openeuler\\.org/node-selector}}").Succeeded();
        return result.StdOut.Length == 0 ? null : result.StdOut;
    }

    [Fact]
    public void Piped_nodes_join_a_group_PassThru_shows_them_and_Clear_takes_them_out()
    {
        var ps = fixture.Session;
        try
        {
            var joined = ps.Run("Get-KubeOSNode -Name node-1, node-2 | Set-KubeOSNodeGroup -Group batch-1 -PassThru -Verbose");
            Assert.True(joined.Errors.Count == 0 && joined.Terminating is null, joined.ToString());
            Assert.Equal(["node-1", "node-2"], joined.Output.Select(o => (string)o.Properties["Name"].Value));
            Assert.All(joined.Output, o => Assert.Equal("batch-1", o.Properties["Group"].Value));
            Assert.Contains(joined.Verbose, v => v.Message.StartsWith("PATCH /api/v1/nodes/node-1", StringComparison.Ordinal));
            Assert.Equal(("batch-1", "batch-1"), (GroupOf("node-1"), GroupOf("node-2")));

            // Already in the group: nothing to write.
            var again = ps.Run("Set-KubeOSNodeGroup node-1 batch-1 -Verbose");
            Assert.Empty(again.Errors);
            Assert.DoesNotContain(again.Verbose, v => v.Message.StartsWith("PATCH", StringComparison.Ordinal));

            var moved = ps.Run("Set-KubeOSNodeGroup -NodeName 'node-2' -Group canary -WarningAction SilentlyContinue");
            Assert.Empty(moved.Errors);
            Assert.Equal(("batch-1", "canary"), (GroupOf("node-1"), GroupOf("node-2")));

            var cleared = ps.Run("Set-KubeOSNodeGroup -NodeName 'node-*' -Clear");
            Assert.Empty(cleared.Errors);
            Assert.Equal(((string?)null, (string?)null), (GroupOf("node-1"), GroupOf("node-2")));
        }
        finally
        {
            fixture.Kubectl.Run($"label node node-1 node-2 {Label}-");
        }
    }

    [Fact]
    public void WhatIf_and_a_declined_confirmation_change_no_label()
    {
        var ps = fixture.Session;
        var whatIf = ps.Run("Set-KubeOSNodeGroup -NodeName node-1 -Group whatif -WhatIf");
        Assert.Empty(whatIf.Errors);
        Assert.Null(GroupOf("node-1"));

        ps.Host.Answers.Enqueue(2); // No
        var declined = ps.Run("Set-KubeOSNodeGroup -NodeName node-1 -Group declined -Confirm");
        Assert.Empty(declined.Errors);
        Assert.Contains(ps.Host.Prompts, p => p.Contains("Join node-selector group 'declined'"));
        Assert.Null(GroupOf("node-1"));
    }

    [Fact]
    public void Unknown_nodes_and_control_plane_nodes_are_per_node_errors_with_stable_ids()
    {
        var ps = fixture.Session;
        try
        {
            var result = ps.Run("Set-KubeOSNodeGroup -NodeName nosuchnode, node-0, node-1 -Group errors");
            Assert.Null(result.Terminating);
            Assert.Equal(["NodeNotFound,KubeOS.PowerShell.Rollouts.SetKubeOSNodeGroupCommand", "NodeNotSelectable,KubeOS.PowerShell.Rollouts.SetKubeOSNodeGroupCommand"],
                result.Errors.Select(e => e.FullyQualifiedErrorId).Order());
            Assert.Equal(["node-0", "nosuchnode"], result.Errors.Select(e => (string)e.TargetObject).Order(StringComparer.Ordinal));
            // The good node is still done.
            Assert.Equal("errors", GroupOf("node-1"));
            Assert.Null(GroupOf("node-0"));

            var invalid = ps.Run("Set-KubeOSNodeGroup -NodeName node-1 -Group 'not a label'");
            var record = invalid.Terminating?.ErrorRecord ?? Assert.Single(invalid.Errors);
            Assert.StartsWith("ParameterArgumentValidationError", record.FullyQualifiedErrorId);
        }
        finally
        {
            fixture.Kubectl.Run($"label node node-1 {Label}-");
        }
    }
}
