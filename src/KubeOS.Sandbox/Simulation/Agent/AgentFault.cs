namespace KubeOS.Sandbox.Simulation.Agent;

/// <summary>A failure the simulated os-agent of one node plays, so the proxy's and operator's failure paths can be exercised.</summary>
public enum AgentFault
{
    None,

    /// <summary>prepare_upgrade receives bytes whose SHA-256 differs from check_sum: error, standby unchanged.</summary>
    ChecksumMismatch,

    /// <summary>prepare_upgrade cannot fetch the image: error, standby unchanged.</summary>
    DownloadFailure,

    /// <summary>The trial boot of the new root fails and the boot loader falls back to saved_entry (the old version).</summary>
    BootFailure,

    /// <summary>The image holds another version than the request named, so the node comes back on that one.</summary>
    WrongVersion,

    /// <summary>The new root boots, but the node's pods stay not Ready under it (a health gate fails); booting back heals them.</summary>
    UnhealthyAfterUpgrade,
}

/// <summary>The spelling of faults in options, flags and the node annotation.</summary>
public static class AgentFaults
{
    /// <summary>Node annotation selecting a fault at call time; the options' per-node faults take precedence.</summary>
    public const string Annotation = "sandbox.kubeos.io/agent-fault";

    private static readonly Dictionary<string, AgentFault> ByName = new(StringComparer.Ordinal)
    {
        ["none"] = AgentFault.None,
        ["checksum-mismatch"] = AgentFault.ChecksumMismatch,
        ["download-failure"] = AgentFault.DownloadFailure,
        ["boot-failure"] = AgentFault.BootFailure,
        ["wrong-version"] = AgentFault.WrongVersion,
        ["unhealthy-after-upgrade"] = AgentFault.UnhealthyAfterUpgrade,
    };

    public static string Names => string.Join(", ", ByName.Keys);

    public static string Name(AgentFault fault) => ByName.First(kv => kv.Value == fault).Key;

    /// <param name="source">Where the text came from, named in the error (a flag or an annotation).</param>
    public static AgentFault Parse(string text, string source) =>
        ByName.TryGetValue(text.Trim(), out var fault)
            ? fault
            : throw new ArgumentException($"{source} is '{text}'; use one of {Names}");

    /// <summary>Parses <c>node=fault</c>, the form of the --agent-fault flag.</summary>
    public static KeyValuePair<string, AgentFault> ParseAssignment(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0 || equals == text.Length - 1)
            throw new ArgumentException($"--agent-fault '{text}' must be NODE=FAULT, e.g. node-1=boot-failure; faults: {Names}");
        return new(text[..equals].Trim(), Parse(text[(equals + 1)..], $"--agent-fault for node '{text[..equals].Trim()}'"));
    }
}
