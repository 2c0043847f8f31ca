namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>
/// kernel.sysctl.persist settings go to /etc/sysctl.conf (KubeOS's path), but systemd-sysctl reads only sysctl.d
/// folders, and on Debian the link that makes it read that file comes with procps, which a minimal root lacks. The
/// link is made here, as procps makes it, so persistent settings are applied at every boot.
/// </summary>
public static class PersistentSysctl
{
    public const string LinkPath = "etc/sysctl.d/99-sysctl.conf";

    public static void Install(string rootfs)
    {
        var conf = Path.Combine(rootfs, "etc/sysctl.conf");
        if (!File.Exists(conf))
            File.WriteAllText(conf, "# Kernel parameters applied at boot (systemd-sysctl, through /etc/sysctl.d/99-sysctl.conf).\n");
        var link = Path.Combine(rootfs, LinkPath);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        if (File.Exists(link) || new FileInfo(link).LinkTarget is not null) return;
        File.CreateSymbolicLink(link, "../sysctl.conf");
    }
}
