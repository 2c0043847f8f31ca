using System.Globalization;
using System.Text;
using KubeOS.ImageBuilder.Configuration;

namespace KubeOS.ImageBuilder.Pxe;

/// <summary>/kubeos/pxe.conf: the installer's defaults, sourced by its /init (module/deploy/image/pxe-init.sh).</summary>
public static class PxeInstallerSettings
{
    public static string Render(PxeConfigSection pxe, string version, string rootfsSha256, long minimumDiskMiB)
    {
        var sb = new StringBuilder("# KubeOS PXE installer settings (kbimg [pxe_config]); kernel arguments kubeos.<key>=<value> override them.\n");
        void Set(string key, string? value) => sb.Append(key).Append('=').Append(Quote(value ?? "")).Append('\n');
        Set("version", version);
        Set("rootfs_name", pxe.RootfsName);
        Set("rootfs_sha256", rootfsSha256);
        Set("disk", pxe.Disk);
        Set("server_ip", pxe.ServerIp);
        Set("dhcp", pxe.Dhcp ? "true" : "false");
        Set("local_ip", pxe.LocalIp);
        Set("netmask", pxe.Netmask);
        Set("net_name", pxe.NetName);
        Set("route_ip", pxe.RouteIp);
        Set("min_disk_mib", minimumDiskMiB.ToString(CultureInfo.InvariantCulture));
        Set("on_error", "poweroff");
        return sb.ToString();
    }

    /// <summary>Single quotes for sh; the reader already rejects quotes in these values, this keeps the file safe anyway.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
