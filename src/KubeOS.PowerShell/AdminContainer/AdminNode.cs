namespace KubeOS.PowerShell.AdminContainer;

/// <summary>A node an admin container may go to: its name, the address sshd listens on, and why it counts as KubeOS.</summary>
public sealed record AdminNode(string Name, string? InternalAddress, string? OSImage, bool HasOSInstance)
{
    /// <summary>A KubeOS node reports a "KubeOS ..." osImage (kbimg's PRETTY_NAME) or has an OSInstance.</summary>
    public bool IsKubeOS => HasOSInstance || OSImage?.StartsWith("KubeOS", StringComparison.OrdinalIgnoreCase) == true;
}
