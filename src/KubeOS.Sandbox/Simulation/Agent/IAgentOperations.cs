using KubeOS.Api.Agent;

namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>A call's answer and what to start once the answer has been sent (the reboot).</summary>
public sealed record AgentOutcome(AgentResponse Response, Action? AfterReply = null);

/// <summary>The methods of the agent protocol, as <see cref="AgentRequestDispatcher"/> routes them.</summary>
public interface IAgentOperations
{
    Task<StatusResult> StatusAsync(CancellationToken cancellationToken);
    Task<AgentOutcome> PrepareUpgradeAsync(UpgradeRequest request, CancellationToken cancellationToken);
    Task<AgentOutcome> UpgradeAsync(CancellationToken cancellationToken);
    Task<AgentOutcome> RollbackAsync(CancellationToken cancellationToken);
    Task<AgentOutcome> ConfigureAsync(ConfigureRequest request, CancellationToken cancellationToken);
    Task<AgentOutcome> ConfirmBootAsync(CancellationToken cancellationToken);

    /// <summary>Remembers the outcome of a non-status call for <c>status</c>'s last_result.</summary>
    void RecordResult(string method, bool succeeded, string message);
}
