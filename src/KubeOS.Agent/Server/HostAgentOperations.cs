using KubeOS.Agent.Settings;
using KubeOS.Agent.Upgrade;
using KubeOS.Api.Agent;
using KubeOS.Api.Agent.Server;

namespace KubeOS.Agent.Server;

/// <summary>The protocol's methods on this host: disk and boot work in <see cref="NodeOperations"/>, configure in <see cref="SettingsApplier"/>.</summary>
public sealed class HostAgentOperations(NodeOperations node, SettingsApplier settings) : IAgentOperations
{
    public Task<StatusResult> StatusAsync(CancellationToken cancellationToken) => node.StatusAsync(cancellationToken);
    public Task<AgentOutcome> PrepareUpgradeAsync(UpgradeRequest request, CancellationToken cancellationToken) => node.PrepareUpgradeAsync(request, cancellationToken);
    public Task<AgentOutcome> UpgradeAsync(CancellationToken cancellationToken) => node.UpgradeAsync(cancellationToken);
    public Task<AgentOutcome> RollbackAsync(CancellationToken cancellationToken) => node.RollbackAsync(cancellationToken);
    public Task<AgentOutcome> ConfigureAsync(ConfigureRequest request, CancellationToken cancellationToken) => settings.ApplyAsync(request, cancellationToken);
    public Task<AgentOutcome> ConfirmBootAsync(CancellationToken cancellationToken) => node.ConfirmBootAsync(cancellationToken);
    public void RecordResult(string method, bool succeeded, string message) => node.RecordResult(method, succeeded, message);
}
