using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KubeOS.Api.Agent;
using KubeOS.Sandbox.Simulation.Agent;

namespace KubeOS.Sandbox.Tests;

/// <summary>The simulated os-agent's side of the protocol: message shapes, request checks, one request at a time, configure.</summary>
public sealed class SimulatedAgentProtocolTests(SimulatedAgentFixture cluster) : IClassFixture<SimulatedAgentFixture>
{
    [Fact]
    public async Task Each_node_has_its_own_socket_and_a_fresh_node_reports_its_version_on_partition_A()
    {
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"node-{i}.sock").Order(),
            Directory.GetFiles(cluster.Agents.SocketDirectory).Select(Path.GetFileName).Order());
        var status = await cluster.AgentOf("node-2").StatusAsync();
        Assert.Equal((AgentMethods.ProtocolVersion, "sandbox"), (status.ProtocolVersion, status.AgentVersion));
        Assert.Equal(("A", "/dev/vda2", "KubeOS v1", true), (status.Active.Name, status.Active.Device, status.Active.Version, status.Active.Bootable));
        Assert.Equal(("B", "/dev/vda3", "", false), (status.Inactive.Name, status.Inactive.Device, status.Inactive.Version, status.Inactive.Bootable));
        Assert.Equal(("A", "", false), (status.SavedEntry, status.NextEntry, status.BootPendingConfirmation));
        Assert.Null(status.Staged);
        Assert.Null(status.LastResult);
    }

    [Fact]
    public async Task A_request_typed_by_hand_gets_a_snake_case_answer_ended_by_a_newline()
    {
        var reply = await RawAsync("node-2", """{"jsonrpc":"2.0","method":"status","params":[],"id":7}""" + "\n");
        Assert.EndsWith("}\n", reply);
        using var json = JsonDocument.Parse(reply);
        Assert.Equal(7, json.RootElement.GetProperty("id").GetInt32());
        var result = json.RootElement.GetProperty("result");
        Assert.Equal(["protocol_version", "agent_version", "active", "inactive", "saved_entry", "next_entry", "boot_pending_confirmation"],
            result.EnumerateObject().Select(p => p.Name));

        var unknown = await RawAsync("node-2", """{"jsonrpc":"2.0","method":"reboot","params":[],"id":8}""");
        using var error = JsonDocument.Parse(unknown);
        Assert.Equal(JsonRpcError.MethodNotFound, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Method not found: reboot", error.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_call_while_another_runs_is_turned_away_at_once_with_the_busy_error()
    {
        var agent = cluster.AgentOf("node-8");
        Task<AgentResponse> prepare = Task.FromResult(new AgentResponse());
        AgentException? busy = null;
        for (var attempt = 0; attempt < 5 && busy is null; attempt++)
        {
            prepare = agent.PrepareUpgradeAsync(SimulatedAgentFixture.Request("KubeOS v2"));
            while (!prepare.IsCompleted && busy is null)
            {
                try { await agent.StatusAsync(); }
                catch (AgentException e) { busy = e; }
            }
            // On a loaded machine a status probe can win the lock first and turn the prepare away instead: the same
            // rule seen from the other side. Try again until the probe is the one turned away.
            if (busy is null && prepare.IsFaulted && prepare.Exception!.InnerException is AgentException { IsBusy: true })
                continue;
        }
        Assert.NotNull(busy);
        Assert.True(busy.IsBusy);
        Assert.Equal((JsonRpcError.AgentFailure, AgentException.BusyMessage), (busy.Code, busy.Message));
        Assert.Equal(AgentStatus.UpgradeReady, (await prepare).Status);
        Assert.Equal("KubeOS v2", (await agent.StatusAsync()).Inactive.Version);
    }

    [Theory]
    [InlineData("http://images.example/kubeos.tar", "aaaa", "check_sum 'aaaa' is not a SHA-256 (64 hex digits); give the output of sha256sum for the image")]
    [InlineData("http://images.example/kubeos.tar", null,
        "image_url 'http://images.example/kubeos.tar' is plain http; set flagSafe: true to allow it, or serve the image over https")]
    [InlineData("ftp://images.example/kubeos.tar", null, "image_url 'ftp://images.example/kubeos.tar' is not an http:// or https:// URL")]
    [InlineData("", null, "image_url is empty; imagetype disk needs the URL of the root filesystem tar or image")]
    public async Task A_malformed_upgrade_request_fails_with_code_minus_1_and_a_message_naming_the_field(string url, string? checkSum, string message)
    {
        var request = SimulatedAgentFixture.Request("KubeOS v2", url);
        if (checkSum is not null) request.CheckSum = checkSum;
        var agent = cluster.AgentOf("node-1");
        var error = await Assert.ThrowsAsync<AgentException>(() => agent.PrepareUpgradeAsync(request));
        Assert.Equal((JsonRpcError.AgentFailure, message), (error.Code, error.Message));
        var status = await agent.StatusAsync();
        Assert.Equal(("", false), (status.Inactive.Version, status.LastResult!.Succeeded));
        Assert.Equal(message, status.LastResult.Message);
    }

    [Fact]
    public async Task Plain_http_is_accepted_with_flag_safe_and_container_images_are_checked_as_references()
    {
        var agent = cluster.AgentOf("node-9");
        var request = SimulatedAgentFixture.Request("KubeOS v2", "http://images.example/kubeos.tar");
        request.FlagSafe = true;
        Assert.Equal(AgentStatus.UpgradeReady, (await agent.PrepareUpgradeAsync(request)).Status);

        var oci = new UpgradeRequest { Version = "KubeOS v3", ImageType = ImageTypes.Containerd, ContainerImage = "not a reference", CheckSum = new string('b', 64) };
        var error = await Assert.ThrowsAsync<AgentException>(() => agent.PrepareUpgradeAsync(oci));
        Assert.StartsWith("container_image 'not a reference' is not an image reference", error.Message);
        oci.ContainerImage = "registry.example:5000/kubeos/os:v3";
        Assert.Equal(AgentStatus.UpgradeReady, (await agent.PrepareUpgradeAsync(oci)).Status);
        var staged = (await agent.StatusAsync()).Staged!;
        Assert.Equal(("KubeOS v3", ImageTypes.Containerd, new string('b', 64)), (staged.Version, staged.ImageType, staged.CheckSum));
    }

    [Fact]
    public async Task Configure_lists_the_changes_and_mirrors_kernel_sysctl_in_a_node_annotation()
    {
        var agent = cluster.AgentOf("node-4");
        var first = await agent.ConfigureAsync(Configure(SimulatedSettings.Sysctl, ("vm.swappiness", "10", ""), ("net.ipv4.ip_forward", "1", "add")));
        Assert.Equal(AgentStatus.Configured, first.Status);
        Assert.Equal(["kernel.sysctl: net.ipv4.ip_forward=1 (was unset)", "kernel.sysctl: vm.swappiness=10 (was unset)"], first.Changes!);
        Assert.Equal("""{"net.ipv4.ip_forward":"1","vm.swappiness":"10"}""", await SysctlAnnotationAsync());

        Assert.Empty((await agent.ConfigureAsync(Configure(SimulatedSettings.Sysctl, ("vm.swappiness", "10", "")))).Changes!);
        var second = await agent.ConfigureAsync(Configure(SimulatedSettings.Sysctl, ("vm.swappiness", "60", "update"), ("net.ipv4.ip_forward", "", "delete")));
        Assert.Equal(["kernel.sysctl: net.ipv4.ip_forward removed (was 1)", "kernel.sysctl: vm.swappiness=60 (was 10)"], second.Changes!);
        Assert.Equal("""{"vm.swappiness":"60"}""", await SysctlAnnotationAsync());
    }

    [Fact]
    public async Task Configure_with_a_bad_entry_anywhere_changes_nothing()
    {
        var agent = cluster.AgentOf("node-3");
        var request = Configure(SimulatedSettings.Sysctl, ("kernel.pid_max", "65536", ""));
        request.Configs.Add(new SysConfig { Model = "kernel.sysctl.persits" });
        var error = await Assert.ThrowsAsync<AgentException>(() => agent.ConfigureAsync(request));
        Assert.Equal(JsonRpcError.AgentFailure, error.Code);
        Assert.StartsWith("configs[1].model 'kernel.sysctl.persits' is unknown; known models: kernel.sysctl, kernel.sysctl.persist", error.Message);

        var badKey = await Assert.ThrowsAsync<AgentException>(() => agent.ConfigureAsync(Configure("pam.limits", ("* soft", "soft.nofile.1", ""))));
        Assert.Equal("pam.limits: key '* soft' is not a valid key (no '=', no spaces)", badKey.Message);
        var badOperation = await Assert.ThrowsAsync<AgentException>(() => agent.ConfigureAsync(Configure("pam.limits", ("*", "soft.nofile.1", "replace"))));
        Assert.Equal("pam.limits: key '*' has operation 'replace'; use add, update, delete or leave it empty", badOperation.Message);

        var again = await agent.ConfigureAsync(Configure(SimulatedSettings.Sysctl, ("kernel.pid_max", "65536", "")));
        Assert.Equal(["kernel.sysctl: kernel.pid_max=65536 (was unset)"], again.Changes!);
    }

    private async Task<string?> SysctlAnnotationAsync() =>
        (await cluster.NodeAsync("node-4")).Metadata.Annotations?.TryGetValue(NodeReporter.SysctlAnnotation, out var json) == true ? json : null;

    private static ConfigureRequest Configure(string model, params (string Key, string Value, string Operation)[] entries)
    {
        var config = new SysConfig { Model = model };
        foreach (var (key, value, operation) in entries)
            config.Contents[key] = new KeyInfo { Value = JsonSerializer.SerializeToElement(value), Operation = operation };
        return new ConfigureRequest { Configs = [config] };
    }

    /// <summary>What an administrator gets from socat: the raw bytes of the answer to one request.</summary>
    private async Task<string> RawAsync(string node, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(cluster.Agents.SocketPath(node)));
        await socket.SendAsync(Encoding.UTF8.GetBytes(request));
        var buffer = new byte[64 * 1024];
        var received = 0;
        while (received == 0 || buffer[received - 1] != (byte)'\n')
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(received));
            if (n == 0) break;
            received += n;
        }
        return Encoding.UTF8.GetString(buffer, 0, received);
    }
}
