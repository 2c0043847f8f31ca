namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>How the simulated os-agents behave: where their sockets are, how long the disk and boot side take, which nodes fail.</summary>
public sealed class SimulatedAgentOptions
{
    /// <summary>Directory holding one <c>&lt;node&gt;.sock</c> per node; null creates a temporary one.</summary>
    public string? SocketDirectory { get; set; }

    /// <summary>How long prepare_upgrade takes (the download and write of the standby partition).</summary>
    public TimeSpan PrepareDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The size of the simulated image: with a bandwidth_limit, prepare takes at least ImageBytes / limit.</summary>
    public long ImageBytes { get; set; } = SimulatedNodeAgent.SimulatedImageBytes;

    /// <summary>How long a node stays NotReady (and its agent unreachable) while it reboots.</summary>
    public TimeSpan RebootDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Faults by node name; a node not listed takes its fault from the <see cref="AgentFaults.Annotation"/> annotation.</summary>
    public Dictionary<string, AgentFault> Faults { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What <c>status</c> reports as agent_version.</summary>
    public string AgentVersion { get; set; } = "sandbox";

    /// <summary>Told about failures of the simulated reboot's API writes (they are retried).</summary>
    public Action<Exception>? OnError { get; set; }

    public void Validate()
    {
        if (PrepareDuration < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(PrepareDuration), PrepareDuration, "PrepareDuration must be zero or more.");
        if (RebootDuration < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RebootDuration), RebootDuration, "RebootDuration must be zero or more.");
    }
}
