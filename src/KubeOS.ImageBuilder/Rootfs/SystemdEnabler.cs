namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>Installs and enables units in an offline root the way `systemctl enable` does (a .wants symlink).</summary>
internal static class SystemdEnabler
{
    public static void InstallAndEnable(string rootfs, string unitName, string content, string wantedBy)
    {
        var unitDir = Path.Combine(rootfs, "usr/lib/systemd/system");
        Directory.CreateDirectory(unitDir);
        File.WriteAllText(Path.Combine(unitDir, unitName), content);
        Enable(rootfs, unitName, wantedBy);
    }

    public static void Enable(string rootfs, string unitName, string wantedBy)
    {
        var wants = Path.Combine(rootfs, "etc/systemd/system", wantedBy + ".wants");
        Directory.CreateDirectory(wants);
        var link = Path.Combine(wants, unitName);
        if (File.Exists(link) || new FileInfo(link).LinkTarget is not null) File.Delete(link);
        File.CreateSymbolicLink(link, "/usr/lib/systemd/system/" + unitName);
    }
}
