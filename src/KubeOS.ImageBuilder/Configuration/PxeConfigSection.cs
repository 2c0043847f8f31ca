namespace KubeOS.ImageBuilder.Configuration;

/// <summary>
/// <c>[pxe_config]</c> (kubeos.md §6.3): where the installer finds the root image and how it reaches the server. The
/// values are the installer's defaults; kernel arguments <c>kubeos.&lt;key&gt;=</c> override each one at boot.
/// </summary>
public sealed record PxeConfigSection
{
    /// <summary>File name of the root image on the HTTP server's root (http://server_ip/rootfs_name).</summary>
    public string RootfsName { get; init; } = "";
    /// <summary>The disk to install to, e.g. /dev/vda. Everything on it is erased.</summary>
    public string Disk { get; init; } = "";
    public string ServerIp { get; init; } = "";
    public string? RouteIp { get; init; }
    public bool Dhcp { get; init; }
    public string? LocalIp { get; init; }
    public string? Netmask { get; init; }
    public string? NetName { get; init; }
}
