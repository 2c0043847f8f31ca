namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>
/// One disk-side call of a simulated agent as it happened: the download (prepare_upgrade) and the reboot (from the
/// switch until the node is back) are recorded separately, so a test or benchmark can see which of them fell inside
/// a node's disruption window.
/// </summary>
/// <param name="Kind">prepare or reboot (<see cref="AgentCallKinds"/>).</param>
/// <param name="BandwidthLimit">prepare: the bandwidth_limit the request carried (0 = none).</param>
public sealed record AgentCall(string Kind, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long BandwidthLimit = 0)
{
    public TimeSpan Duration => FinishedAt - StartedAt;
}

public static class AgentCallKinds
{
    public const string Prepare = "prepare";
    public const string Reboot = "reboot";
}
