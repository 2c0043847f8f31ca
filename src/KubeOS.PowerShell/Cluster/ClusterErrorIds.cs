namespace KubeOS.PowerShell.Cluster;

/// <summary>
/// Error ids of the cluster and sandbox cmdlets. Scripts match on them (<c>$_.FullyQualifiedErrorId -like 'NodeNotFound,*'</c>),
/// so they never change once released.
/// </summary>
public static class ClusterErrorIds
{
    public const string NoClusterConfigured = "NoClusterConfigured";
    public const string KubeconfigNotFound = "KubeconfigNotFound";
    public const string KubeconfigUnreadable = "KubeconfigUnreadable";
    public const string ContextNotFound = "ContextNotFound";
    public const string ClusterUnreachable = "ClusterUnreachable";
    public const string ClusterRequestFailed = "ClusterRequestFailed";
    public const string NodeNotFound = "NodeNotFound";
    public const string KubeOSResourcesNotInstalled = "KubeOSResourcesNotInstalled";

    public const string DotnetNotFound = "DotnetNotFound";
    public const string SandboxNotInstalled = "SandboxNotInstalled";
    public const string SandboxNameInUse = "SandboxNameInUse";
    public const string SandboxStartFailed = "SandboxStartFailed";
    public const string SandboxNotFound = "SandboxNotFound";
}
