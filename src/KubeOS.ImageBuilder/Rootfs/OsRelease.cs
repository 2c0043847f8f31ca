namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>The OS identity KubeOS writes: the node agent and the operator read VERSION_ID / PRETTY_NAME.</summary>
public static class OsRelease
{
    public static string Render(string version) =>
        $"""
        NAME="KubeOS"
        ID=kubeos
        ID_LIKE=debian
        VERSION="{version}"
        VERSION_ID={version}
        PRETTY_NAME="KubeOS {version}"
        HOME_URL="https://gitee.com/openeuler/KubeOS"

        """;

    /// <summary>
    /// Writes /usr/lib/os-release and removes /etc/os-release: /etc is an overlay whose upper layer survives upgrades,
    /// so a copy there would keep reporting the old version.
    /// </summary>
    public static void Write(string rootfs, string version)
    {
        var etc = Path.Combine(rootfs, "etc/os-release");
        if (File.Exists(etc) || new FileInfo(etc).LinkTarget is not null) File.Delete(etc);
        var usr = Path.Combine(rootfs, "usr/lib/os-release");
        if (new FileInfo(usr).LinkTarget is not null) File.Delete(usr);
        File.WriteAllText(usr, Render(version));
    }
}
