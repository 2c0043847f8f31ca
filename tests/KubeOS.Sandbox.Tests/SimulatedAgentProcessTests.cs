using System.Diagnostics;
using KubeOS.Api.Agent;

namespace KubeOS.Sandbox.Tests;

/// <summary>The simulated os-agents of the standalone kubeos-sandbox process and their flags.</summary>
public sealed class SimulatedAgentProcessTests
{
    private static ProcessStartInfo Sandbox(params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kubeos-sandbox.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    [Fact]
    public async Task The_process_serves_one_agent_socket_per_node_with_the_faults_given_on_the_command_line()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Path.Combine(Directory.CreateTempSubdirectory("sandbox-agents-").FullName, "sockets");
        using var process = Process.Start(Sandbox("--nodes", "2", "--agent-socket-dir", dir, "--agent-fault", "node-1=checksum-mismatch",
            "--agent-prepare-seconds", "0", "--agent-reboot-seconds", "0.2"))!;
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.StartsWith("kubeconfig: ", first);
            Assert.Equal($"agent-sockets: {dir}", await process.StandardOutput.ReadLineAsync(ct));

            var request = SimulatedAgentFixture.Request("KubeOS v2");
            Assert.Equal(AgentStatus.UpgradeReady, (await new AgentClient(Path.Combine(dir, "node-0.sock")).PrepareUpgradeAsync(request, ct)).Status);
            var error = await Assert.ThrowsAsync<AgentException>(() => new AgentClient(Path.Combine(dir, "node-1.sock")).PrepareUpgradeAsync(request, ct));
            Assert.StartsWith("check_sum mismatch", error.Message);

            process.StandardInput.Close();
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(15), ct);
            Assert.Equal(0, process.ExitCode);
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("node-1=melted", "--agent-fault for node 'node-1' is 'melted'; use one of none, checksum-mismatch, download-failure, boot-failure, wrong-version, unhealthy-after-upgrade")]
    [InlineData("boot-failure", "--agent-fault 'boot-failure' must be NODE=FAULT, e.g. node-1=boot-failure")]
    public async Task A_malformed_fault_is_refused_with_a_message_naming_the_flag(string value, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(Sandbox("--nodes", "1", "--agent-fault", value))!;
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(message, stderr);
    }
}
