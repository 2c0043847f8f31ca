using k8s;
using KubeOS.Api.Agent;
using KubeOS.Sandbox.Simulation;
using KubeOS.Sandbox.Simulation.Agent;

namespace KubeOS.Sandbox.Tests;

/// <summary>Upgrades, rollbacks and faults of the simulated os-agent, driven through AgentClient and seen through the API.</summary>
public sealed class SimulatedAgentRebootTests(SimulatedAgentFixture cluster) : IClassFixture<SimulatedAgentFixture>
{
    [Fact]
    public async Task Prepare_stages_the_version_on_the_standby_without_touching_the_boot_target()
    {
        var agent = cluster.AgentOf("node-1");
        var response = await agent.PrepareUpgradeAsync(SimulatedAgentFixture.Request("KubeOS v2"));
        Assert.Equal(AgentStatus.UpgradeReady, response.Status);
        Assert.Contains("'KubeOS v2'", Assert.Single(response.Changes!));

        var status = await agent.StatusAsync();
        Assert.Equal(("A", "KubeOS v1"), (status.Active.Name, status.Active.Version));
        Assert.Equal(("B", "/dev/vda3", "KubeOS v2", true), (status.Inactive.Name, status.Inactive.Device, status.Inactive.Version, status.Inactive.Bootable));
        Assert.Equal(("A", ""), (status.SavedEntry, status.NextEntry));
        var staged = Assert.IsType<StagedImage>(status.Staged);
        Assert.Equal(("KubeOS v2", "B", new string('a', 64)), (staged.Version, staged.Partition, staged.CheckSum));
        Assert.Equal((AgentMethods.PrepareUpgrade, true), (status.LastResult!.Method, status.LastResult.Succeeded));
        Assert.Equal("KubeOS v1", (await cluster.NodeAsync("node-1")).Status.NodeInfo.OsImage);
    }

    [Fact]
    public async Task Upgrade_reboots_the_node_through_NotReady_onto_the_new_osImage_and_confirm_boot_makes_it_the_default()
    {
        var (node, sawNotReady, bootIdBefore) = await cluster.UpgradeAsync("node-2", "KubeOS v2");
        Assert.True(sawNotReady, "the node was seen NotReady while it rebooted");
        Assert.Equal("KubeOS v2", node.Status.NodeInfo.OsImage);
        Assert.NotEqual(bootIdBefore, node.Status.NodeInfo.BootID);
        Assert.Equal("KubeletReady", node.Status.Conditions.Single(c => c.Type == "Ready").Reason);

        var agent = cluster.AgentOf("node-2");
        var booted = await agent.StatusAsync();
        Assert.Equal(("B", "KubeOS v2"), (booted.Active.Name, booted.Active.Version));
        Assert.Equal(("A", "KubeOS v1", true), (booted.Inactive.Name, booted.Inactive.Version, booted.Inactive.Bootable));
        Assert.Equal(("A", ""), (booted.SavedEntry, booted.NextEntry));
        Assert.True(booted.BootPendingConfirmation);
        Assert.Null(booted.Staged);

        var confirm = await agent.ConfirmBootAsync();
        Assert.Equal(AgentStatus.BootConfirmed, confirm.Status);
        Assert.Equal("default boot entry is now B (/dev/vda3)", Assert.Single(confirm.Changes!));
        var confirmed = await agent.StatusAsync();
        Assert.Equal("B", confirmed.SavedEntry);
        Assert.False(confirmed.BootPendingConfirmation);
        Assert.Empty((await agent.ConfirmBootAsync()).Changes!);
    }

    [Fact]
    public async Task While_the_node_reboots_its_agent_cannot_be_reached_and_it_answers_again_once_the_node_is_Ready()
    {
        var agent = cluster.AgentOf("node-9");
        await agent.PrepareUpgradeAsync(SimulatedAgentFixture.Request("KubeOS v2"));
        var bootId = (await cluster.NodeAsync("node-9")).Status.NodeInfo.BootID;
        await agent.UpgradeAsync();

        AgentException? refused = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (refused is null && DateTime.UtcNow < deadline)
        {
            try { await agent.StatusAsync(); }
            // A call that connected just before the agent went down is cut off unanswered, as on a real reboot;
            // keep calling until the socket itself is gone.
            catch (AgentException e) when (e.Message.StartsWith("os-agent closed the connection", StringComparison.Ordinal)) { }
            catch (AgentException e) { refused = e; }
        }
        Assert.NotNull(refused);
        Assert.Equal(JsonRpcError.AgentFailure, refused.Code);
        Assert.StartsWith($"Cannot connect to KubeOS os-agent unix socket {agent.SocketPath}", refused.Message);

        await cluster.WaitForRebootAsync("node-9", bootId);
        Assert.Equal("KubeOS v2", (await agent.StatusAsync()).Active.Version);
    }

    [Fact]
    public async Task Rollback_boots_the_other_partition_and_the_node_comes_back_on_the_old_version()
    {
        await cluster.UpgradeAsync("node-3", "KubeOS v2");
        var agent = cluster.AgentOf("node-3");
        await agent.ConfirmBootAsync();
        var bootId = (await cluster.NodeAsync("node-3")).Status.NodeInfo.BootID;

        var response = await agent.RollbackAsync();
        Assert.Equal(AgentStatus.Rollbacked, response.Status);
        Assert.Contains("next boot: A", Assert.Single(response.Changes!));
        var (node, sawNotReady) = await cluster.WaitForRebootAsync("node-3", bootId);
        Assert.True(sawNotReady);
        Assert.Equal("KubeOS v1", node.Status.NodeInfo.OsImage);

        var status = await agent.StatusAsync();
        Assert.Equal(("A", "KubeOS v1", "B"), (status.Active.Name, status.Active.Version, status.SavedEntry));
        Assert.True(status.BootPendingConfirmation);
        Assert.Equal((AgentMethods.Rollback, true), (status.LastResult!.Method, status.LastResult.Succeeded));
    }

    [Fact]
    public async Task Rollback_with_nothing_bootable_in_the_other_partition_fails_and_arms_nothing()
    {
        var agent = cluster.AgentOf("node-4");
        var error = await Assert.ThrowsAsync<AgentException>(() => agent.RollbackAsync());
        Assert.Equal(JsonRpcError.AgentFailure, error.Code);
        Assert.Equal("cannot rollback: partition B (/dev/vda3) holds no root filesystem with an os-release; the boot target is unchanged", error.Message);

        var status = await agent.StatusAsync();
        Assert.Equal("", status.NextEntry);
        Assert.Equal((AgentMethods.Rollback, false), (status.LastResult!.Method, status.LastResult.Succeeded));
        Assert.True(ClusterView.IsReady(await cluster.NodeAsync("node-4")));
    }

    [Fact]
    public async Task A_checksum_fault_fails_prepare_and_changes_nothing()
    {
        var agent = cluster.AgentOf(SimulatedAgentFixture.ChecksumFaultNode);
        var before = await agent.StatusAsync();
        var error = await Assert.ThrowsAsync<AgentException>(() => agent.PrepareUpgradeAsync(SimulatedAgentFixture.Request("KubeOS v2")));
        Assert.Equal(JsonRpcError.AgentFailure, error.Code);
        Assert.StartsWith($"check_sum mismatch for https://images.example/kubeos.tar: expected sha256 {new string('a', 64)}", error.Message);
        Assert.EndsWith("partition B (/dev/vda3) is unchanged and the boot target is unchanged", error.Message);

        var after = await agent.StatusAsync();
        Assert.Equal(("", false), (after.Inactive.Version, after.Inactive.Bootable));
        Assert.Equal((before.SavedEntry, before.NextEntry, before.Active.Version), (after.SavedEntry, after.NextEntry, after.Active.Version));
        Assert.Null(after.Staged);
        Assert.Equal((AgentMethods.PrepareUpgrade, false, error.Message), (after.LastResult!.Method, after.LastResult.Succeeded, after.LastResult.Message));
        // Nothing was staged, so there is nothing to switch to either.
        await Assert.ThrowsAsync<AgentException>(() => agent.UpgradeAsync());
    }

    [Fact]
    public async Task A_boot_fault_brings_the_node_back_on_the_old_version_and_status_reports_the_failed_trial_boot()
    {
        var (node, sawNotReady, bootIdBefore) = await cluster.UpgradeAsync(SimulatedAgentFixture.BootFaultNode, "KubeOS v2");
        Assert.True(sawNotReady);
        Assert.NotEqual(bootIdBefore, node.Status.NodeInfo.BootID);
        Assert.Equal("KubeOS v1", node.Status.NodeInfo.OsImage);

        var status = await cluster.AgentOf(SimulatedAgentFixture.BootFaultNode).StatusAsync();
        Assert.Equal(("A", "KubeOS v1", "A", ""), (status.Active.Name, status.Active.Version, status.SavedEntry, status.NextEntry));
        Assert.Equal("KubeOS v2", status.Inactive.Version);
        Assert.False(status.BootPendingConfirmation);
        var last = status.LastResult!;
        Assert.Equal((AgentMethods.Upgrade, false), (last.Method, last.Succeeded));
        Assert.Equal("the trial boot of partition B ('KubeOS v2') failed; the boot loader fell back to A ('KubeOS v1')", last.Message);
    }

    [Fact]
    public async Task Faults_set_by_annotation_apply_from_the_next_call()
    {
        var patch = (string? fault) => new k8s.Models.V1Patch(new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["annotations"] = new System.Text.Json.Nodes.JsonObject { [AgentFaults.Annotation] = fault },
            },
        }.ToJsonString(), k8s.Models.V1Patch.PatchType.MergePatch);
        var agent = cluster.AgentOf("node-7");

        await cluster.Client.CoreV1.PatchNodeAsync(patch("download-failure"), "node-7");
        var error = await Assert.ThrowsAsync<AgentException>(() => agent.PrepareUpgradeAsync(SimulatedAgentFixture.Request("KubeOS v2")));
        Assert.StartsWith("downloading https://images.example/kubeos.tar failed", error.Message);
        Assert.Equal("", (await agent.StatusAsync()).Inactive.Version);

        await cluster.Client.CoreV1.PatchNodeAsync(patch("wrong-version"), "node-7");
        var (node, _, _) = await cluster.UpgradeAsync("node-7", "KubeOS v2");
        Assert.Equal("KubeOS v2-unexpected", node.Status.NodeInfo.OsImage);

        await cluster.Client.CoreV1.PatchNodeAsync(patch("no-such-fault"), "node-7");
        var bad = await Assert.ThrowsAsync<AgentException>(() => agent.PrepareUpgradeAsync(SimulatedAgentFixture.Request("KubeOS v3")));
        Assert.Equal($"annotation {AgentFaults.Annotation} of node node-7 is 'no-such-fault'; use one of {AgentFaults.Names}", bad.Message);

        await cluster.Client.CoreV1.PatchNodeAsync(patch(null), "node-7");
        Assert.Equal(AgentStatus.UpgradeReady, (await agent.PrepareUpgradeAsync(SimulatedAgentFixture.Request("KubeOS v3"))).Status);
    }
}
