using k8s;
using k8s.Models;
using KubeOS.Api.Agent;
using KubeOS.Sandbox.Simulation;
using KubeOS.Sandbox.Simulation.Agent;

namespace KubeOS.Sandbox.Tests;

/// <summary>
/// A sandbox whose ten simulated nodes each run a simulated os-agent with millisecond prepare and reboot times.
/// node-5 has a checksum fault and node-6 a boot fault from the options; tests that change a node use their own.
/// </summary>
public sealed class SimulatedAgentFixture : SandboxFixture
{
    public const string ChecksumFaultNode = "node-5";
    public const string BootFaultNode = "node-6";

    public NodeSimulator Simulator { get; private set; } = null!;
    public SimulatedAgentFactory Agents { get; private set; } = null!;
    private string _socketDirectory = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _socketDirectory = Directory.CreateTempSubdirectory("agents-").FullName;
        Agents = new SimulatedAgentFactory(new SimulatedAgentOptions
        {
            SocketDirectory = _socketDirectory,
            PrepareDuration = TimeSpan.FromMilliseconds(300),
            RebootDuration = TimeSpan.FromMilliseconds(400),
            Faults = { [ChecksumFaultNode] = AgentFault.ChecksumMismatch, [BootFaultNode] = AgentFault.BootFailure },
        });
        Simulator = await NodeSimulator.StartAsync(Client, new NodeSimulatorOptions
        {
            Nodes = 10, SeedDaemonSet = false, ReconcileInterval = TimeSpan.FromMilliseconds(100), Agents = Agents,
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Agents.Dispose();
        Directory.Delete(_socketDirectory, recursive: true);
        await base.DisposeAsync();
    }

    public AgentClient AgentOf(string node) => new(Agents.SocketPath(node));

    public async Task<V1Node> NodeAsync(string node) => await Client.CoreV1.ReadNodeAsync(node);

    /// <summary>A disk upgrade request over https with a well-formed checksum, as the proxy builds it from an OS.</summary>
    public static UpgradeRequest Request(string version, string url = "https://images.example/kubeos.tar") => new()
    {
        Version = version, ImageType = ImageTypes.Disk, ImageUrl = url, CheckSum = new string('a', 64),
    };

    /// <summary>
    /// Polls the Node until it is Ready on a bootID other than <paramref name="bootIdBefore"/>, and returns it with
    /// whether it was seen NotReady on the way.
    /// </summary>
    public async Task<(V1Node Node, bool SawNotReady)> WaitForRebootAsync(string node, string bootIdBefore)
    {
        var sawNotReady = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var current = await NodeAsync(node);
            if (!ClusterView.IsReady(current)) sawNotReady = true;
            else if (current.Status.NodeInfo.BootID != bootIdBefore) return (current, sawNotReady);
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"{node} did not come back Ready with a new bootID within 10 seconds");
    }

    /// <summary>prepare_upgrade then upgrade, and the reboot that follows; returns the Node as it came back.</summary>
    public async Task<(V1Node Node, bool SawNotReady, string BootIdBefore)> UpgradeAsync(string node, string version)
    {
        var agent = AgentOf(node);
        Assert.Equal(AgentStatus.UpgradeReady, (await agent.PrepareUpgradeAsync(Request(version))).Status);
        var bootId = (await NodeAsync(node)).Status.NodeInfo.BootID;
        Assert.Equal(AgentStatus.Upgraded, (await agent.UpgradeAsync()).Status);
        var (back, sawNotReady) = await WaitForRebootAsync(node, bootId);
        return (back, sawNotReady, bootId);
    }
}
