using k8s;

namespace KubeOS.Sandbox.Simulation;

/// <summary>
/// The seam for a simulated os-agent. An implementation speaks the agent protocol of KubeOS.Api.Agent for one node
/// and changes what the node reports (osImage after an upgrade, reboots as NotReady periods) through the API, so the
/// proxy and operator under test see a node behave like a real KubeOS host.
/// </summary>
public interface INodeAgentSimulationFactory
{
    /// <summary>Starts the agent of <paramref name="nodeName"/>; disposing the result stops it.</summary>
    Task<IAsyncDisposable> StartAsync(string nodeName, IKubernetes client, CancellationToken cancellationToken);
}
