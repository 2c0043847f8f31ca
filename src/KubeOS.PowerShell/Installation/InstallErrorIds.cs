namespace KubeOS.PowerShell.Installation;

/// <summary>
/// Error ids of Install-KubeOSOperator and Uninstall-KubeOSOperator beyond the cluster ones (ClusterUnreachable,
/// ClusterRequestFailed, ...). Scripts match on them, so they never change once released.
/// </summary>
public static class InstallErrorIds
{
    public const string InvalidImageReference = "InvalidImageReference";
    public const string InvalidNamespace = "InvalidNamespace";
    public const string CustomResourceDefinitionNotEstablished = "CustomResourceDefinitionNotEstablished";
}
