using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Rootfs;

namespace KubeOS.ImageBuilder.Admin;

/// <summary>Turns the extracted Debian root into the admin container's root.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class AdminRootfs
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static void Customize(string rootfs, ImageConfig config)
    {
        var admin = config.AdminContainer!;
        WriteExecutable(rootfs, AdminImage.EntrypointPath, ImageFiles.Read("admin-entrypoint.sh"));
        if (admin.HostShellPath is { } custom)
        {
            var target = Guest(rootfs, AdminImage.HostShellPath);
            File.Copy(config.ResolvePath(custom), target, overwrite: true);
            File.SetUnixFileMode(target, Executable);
        }
        else
        {
            WriteExecutable(rootfs, AdminImage.HostShellPath, ImageFiles.Read("admin-hostshell.sh"));
        }

        // openssh-server's installation made host keys: every container of the image would share them. The
        // entrypoint uses the mounted key instead.
        foreach (var key in Directory.GetFiles(Guest(rootfs, "/etc/ssh"), "ssh_host_*")) File.Delete(key);
        // The only way in is a key: root has no password ('*' never matches, and is not "locked" for sshd).
        RootfsCustomizer.SetRootPassword(rootfs, "*");
        // Runtimes provide /dev, the host name and the resolver; the build host's copies do not belong in the image.
        foreach (var entry in new DirectoryInfo(Guest(rootfs, "/dev")).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo d && d.LinkTarget is null) d.Delete(recursive: true);
            else entry.Delete();
        }
        foreach (var file in new[] { "/etc/hostname", "/etc/resolv.conf" })
        {
            var path = Guest(rootfs, file);
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
        }
        Directory.CreateDirectory(Guest(rootfs, "/root/.ssh"));
        File.SetUnixFileMode(Guest(rootfs, "/root/.ssh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void WriteExecutable(string rootfs, string guestPath, string content)
    {
        var path = Guest(rootfs, guestPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, Executable);
    }

    private static string Guest(string rootfs, string guestPath) => Path.Combine(rootfs, guestPath.TrimStart('/'));
}
