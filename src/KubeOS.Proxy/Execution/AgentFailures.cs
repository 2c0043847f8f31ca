using KubeOS.Api.Agent;

namespace KubeOS.Proxy.Execution;

/// <summary>Tells an answer of os-agent refusing a request apart from not reaching it.</summary>
public static class AgentFailures
{
    /// <summary>
    /// True when os-agent answered the request with an error of its own (code -1, not "busy"); false when it could
    /// not be reached or dropped the connection (a reboot, a restart), which is worth trying again.
    /// </summary>
    public static bool IsRefusal(AgentException e) =>
        e.Code == JsonRpcError.AgentFailure && !e.IsBusy && e.InnerException is null &&
        !e.Message.Contains("closed the connection", StringComparison.Ordinal);
}
