namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>
/// kernel.sysctl.persist settings go to /etc/sysctl.conf (KubeOS's path), but systemd-sysctl reads only sysctl.d
/// folders, and on Debian the link that makes it read that file comes with procps, which a minimal root lacks. The
/// link is made here, as procps makes it; and since systemd-sysctl runs before the /etc overlay holding the node's
/// copy is mounted, kubeos-sysctl.service applies the settings again once it is.
/// </summary>
public static class PersistentSysctl
{
    public const string LinkPath = "etc/sysctl.d/99-sysctl.conf";

    public const string ReapplyUnit = "kubeos-sysctl.service";

    public static void Install(string rootfs)
    {
        SystemdEnabler.InstallAndEnable(rootfs, ReapplyUnit, ImageFiles.Read(ReapplyUnit), "sysinit.target");
        var conf = Path.Combine(rootfs, "etc/sysctl.conf");
        if (!File.Exists(conf))
            File.WriteAllText(conf, "# Kernel parameters applied at boot (systemd-sysctl, through /etc/sysctl.d/99-sysctl.conf).\n");
        var link = Path.Combine(rootfs, LinkPath);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        if (File.Exists(link) || new FileInfo(link).LinkTarget is not null) return;
        File.CreateSymbolicLink(link, "../sysctl.conf");
    }
}
