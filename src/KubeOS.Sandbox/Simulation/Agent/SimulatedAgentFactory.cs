using System.Collections.Concurrent;
using k8s;

namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>
/// Plugs simulated os-agents into the node simulator: one per node, listening on <c>&lt;SocketDirectory&gt;/&lt;node&gt;.sock</c>,
/// so an os-proxy runs against a node with <c>--agent-socket</c> pointing there.
/// </summary>
public sealed class SimulatedAgentFactory : INodeAgentSimulationFactory, IDisposable
{
    private readonly SimulatedAgentOptions _options;
    private readonly ConcurrentDictionary<string, SimulatedNodeAgent> _agents = new(StringComparer.Ordinal);
    private readonly bool _ownsDirectory;

    public SimulatedAgentFactory(SimulatedAgentOptions? options = null)
    {
        _options = options ?? new SimulatedAgentOptions();
        _options.Validate();
        _ownsDirectory = _options.SocketDirectory is null;
        SocketDirectory = _options.SocketDirectory is { } dir
            ? Directory.CreateDirectory(dir).FullName
            : Directory.CreateTempSubdirectory("kubeos-agents-").FullName;
    }

    public string SocketDirectory { get; }

    public IReadOnlyDictionary<string, SimulatedNodeAgent> Agents => _agents;

    public string SocketPath(string nodeName) => Path.Combine(SocketDirectory, nodeName + ".sock");

    public async Task<IAsyncDisposable> StartAsync(string nodeName, IKubernetes client, CancellationToken cancellationToken)
    {
        var path = SocketPath(nodeName);
        // sockaddr_un holds 108 bytes including the terminating NUL.
        if (System.Text.Encoding.UTF8.GetByteCount(path) > 107)
            throw new ArgumentException(
                $"the agent socket path {path} is longer than the 107 bytes a unix socket allows; choose a shorter SocketDirectory (--agent-socket-dir)");
        var agent = await SimulatedNodeAgent.StartAsync(nodeName, path, client, _options, cancellationToken);
        _agents[nodeName] = agent;
        return new Registration(this, agent);
    }

    /// <summary>Removes a temporary socket directory; the sockets themselves go when their agents are disposed.</summary>
    public void Dispose()
    {
        if (!_ownsDirectory) return;
        try { Directory.Delete(SocketDirectory, recursive: true); }
        catch (IOException) { }
    }

    private sealed class Registration(SimulatedAgentFactory owner, SimulatedNodeAgent agent) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            owner._agents.TryRemove(new KeyValuePair<string, SimulatedNodeAgent>(agent.NodeName, agent));
            await agent.DisposeAsync();
        }
    }
}
