namespace KubeOS.PowerShell;

/// <summary>What Invoke-KubeOSAdminCommand got back from one node: the command's exit code and its two output streams.</summary>
public sealed class AdminCommandResult
{
    public required string Node { get; init; }

    public required string Command { get; init; }

    /// <summary>The exit code of the command in the host's shell; -1 when it ended by a signal.</summary>
    public required int ExitCode { get; init; }

    public required string Output { get; init; }

    public required string Error { get; init; }

    /// <summary>How long the command ran, without the time to deploy the pod and connect.</summary>
    public required TimeSpan Duration { get; init; }

    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"{Node}: exit {ExitCode}";
}
