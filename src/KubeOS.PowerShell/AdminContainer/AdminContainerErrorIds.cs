namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// Error ids of the admin container cmdlets. Scripts match on them (<c>$_.FullyQualifiedErrorId -like 'AdminPodNotReady,*'</c>),
/// so they never change once released. A missing node uses the cluster cmdlets' NodeNotFound.
/// </summary>
public static class AdminContainerErrorIds
{
    public const string NotKubeOSNode = "NotKubeOSNode";
    public const string NodeAddressUnknown = "NodeAddressUnknown";
    public const string AdminPodNotReady = "AdminPodNotReady";
    public const string SshConnectionFailed = "SshConnectionFailed";
    public const string SshHostKeyMismatch = "SshHostKeyMismatch";
    public const string SshAuthenticationFailed = "SshAuthenticationFailed";
    public const string KeyFileUnreadable = "KeyFileUnreadable";
    public const string AdminCommandFailed = "AdminCommandFailed";
}
