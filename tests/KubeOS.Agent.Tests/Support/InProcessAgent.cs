using KubeOS.Agent.Node;
using KubeOS.Agent.Server;
using KubeOS.Agent.Settings;
using KubeOS.Agent.Upgrade;
using KubeOS.Api.Agent;
using KubeOS.Api.Agent.Server;

namespace KubeOS.Agent.Tests.Support;

/// <summary>The agent's socket server, dispatcher and operations running inside the test process.</summary>
public sealed class InProcessAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly AgentSocketServer _server;
    private readonly Task _run;

    public InProcessAgent(NodeSystem system)
    {
        SocketPath = Path.Combine(system.StateDir, "os-agent.sock");
        var operations = new NodeOperations(system);
        operations.RecoverAsync(CancellationToken.None).GetAwaiter().GetResult();
        var settings = new SettingsApplier(system, operations.ActivePartitionNameAsync);
        _server = new AgentSocketServer(SocketPath, new AgentRequestDispatcher(new HostAgentOperations(operations, settings))) { PrivateDirectory = true };
        _server.Start();
        _run = _server.RunAsync(_stop.Token);
        Client = new AgentClient(SocketPath);
    }

    public string SocketPath { get; }
    public AgentClient Client { get; }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _run;
        await _server.DisposeAsync();
    }
}
