using KubeOS.Sandbox.Simulation;

namespace KubeOS.Sandbox.Tests;

/// <summary>A sandbox with simulated nodes (one control plane, three workers) and one seeded workload with its PDB.</summary>
public sealed class SimulatedClusterFixture : SandboxFixture
{
    public NodeSimulator Simulator { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Simulator = await NodeSimulator.StartAsync(Client, new NodeSimulatorOptions
        {
            Nodes = 4, Workloads = 1, RecreateDelay = TimeSpan.FromMilliseconds(300), ReconcileInterval = TimeSpan.FromMilliseconds(100),
        });
        Kubectl = new Kubectl(Server.KubeconfigPath);
    }

    public override async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Polls until the condition holds (controllers are asynchronous), failing after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"timed out waiting until {what}");
    }
}
