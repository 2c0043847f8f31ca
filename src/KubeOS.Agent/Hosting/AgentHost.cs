using System.Runtime.InteropServices;
using KubeOS.Agent.Node;
using KubeOS.Agent.Server;
using KubeOS.Agent.Settings;
using KubeOS.Agent.Upgrade;
using KubeOS.Api.Agent.Server;

namespace KubeOS.Agent.Hosting;

/// <summary>Wires the agent together and serves until SIGTERM/SIGINT.</summary>
public static class AgentHost
{
    public static async Task<int> RunAsync(NodeSystem system, string socketPath, CancellationToken cancellationToken)
    {
        AgentLog.Info($"os-agent {typeof(AgentHost).Assembly.GetName().Version} starting");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        var operations = new NodeOperations(system);
        try
        {
            await operations.RecoverAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A node whose disk cannot be read must still answer status and configure calls.
            AgentLog.Error($"start-up check failed: {e.Message}");
        }
        var settings = new SettingsApplier(system, operations.ActivePartitionNameAsync);
        var log = new AgentServerLog { Info = AgentLog.Info, Warn = AgentLog.Warn, Error = AgentLog.Error };
        var dispatcher = new AgentRequestDispatcher(new HostAgentOperations(operations, settings), log);
        await using var server = new AgentSocketServer(socketPath, dispatcher, log) { PrivateDirectory = true };
        await server.RunAsync(stop.Token).ConfigureAwait(false);
        AgentLog.Info("os-agent stopping");
        return 0;
    }
}
