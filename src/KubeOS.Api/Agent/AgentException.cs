namespace KubeOS.Api.Agent;

/// <summary>A JSON-RPC error returned by os-agent, or a failure to reach it.</summary>
public sealed class AgentException : Exception
{
    public AgentException(int code, string message, Exception? inner = null) : base(message, inner) => Code = code;

    /// <summary>-1 for agent failures (KubeOS's convention), the JSON-RPC codes for protocol errors.</summary>
    public int Code { get; }

    public bool IsBusy => Message.Contains(BusyMessage, StringComparison.Ordinal);

    public const string BusyMessage = "os-agent is processing another request";
}
