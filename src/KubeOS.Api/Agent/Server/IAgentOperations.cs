namespace KubeOS.Api.Agent.Server;

/// <summary>A call's answer and what to run once the answer has been sent (the reboot after a switch).</summary>
public sealed record AgentOutcome(AgentResponse Response, Func<Task>? AfterReply = null);

/// <summary>
/// The methods of the agent protocol. os-agent implements them on a real host, the sandbox's simulated agent on a
/// simulated node; <see cref="AgentRequestDispatcher"/> and <see cref="AgentSocketServer"/> serve either the same way.
/// </summary>
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

/// <summary>Where the server reports what it does; the agent writes these to the journal, the sandbox to stderr.</summary>
public sealed class AgentServerLog
{
    public static readonly AgentServerLog None = new();

    public Action<string> Info { get; init; } = _ => { };
    public Action<string> Warn { get; init; } = _ => { };
    public Action<string> Error { get; init; } = _ => { };
}
