namespace KubeOS.PowerShell;

/// <summary>A sandbox cluster started by Start-KubeOSSandbox in this PowerShell session.</summary>
public sealed class SandboxInfo
{
    public required string Name { get; init; }

    /// <summary>The API server's address (HTTPS on 127.0.0.1).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>A kubeconfig for the sandbox: use it with kubectl (<c>kubectl --kubeconfig $s.KubeconfigPath get nodes</c>).</summary>
    public required string KubeconfigPath { get; init; }

    public required int ProcessId { get; init; }

    public required int Nodes { get; init; }

    public required int Workloads { get; init; }

    public required DateTime StartTime { get; init; }

    public override string ToString() => Name;
}
