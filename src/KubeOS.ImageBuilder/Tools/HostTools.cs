namespace KubeOS.ImageBuilder.Tools;

/// <summary>The host programs each build needs and the Debian packages that provide them.</summary>
public static class HostTools
{
    private static readonly (string Tool, string Package)[] Common =
    [
        ("mmdebstrap", "mmdebstrap"), ("tar", "tar"), ("mkfs.ext4", "e2fsprogs"), ("chroot", "coreutils"),
    ];

    private static readonly (string Tool, string Package)[] Vm =
    [
        ("sfdisk", "fdisk"), ("mkfs.vfat", "dosfstools"), ("mcopy", "mtools"), ("mmd", "mtools"),
        ("grub-mkimage", "grub-common"), ("grub-editenv", "grub-common"), ("dd", "coreutils"), ("qemu-img", "qemu-utils"),
    ];

    public static IReadOnlyList<string> Missing(ImageType type, bool verity, bool legacyBios, bool grubPassword, bool qcow2,
        bool users = false, bool services = false)
    {
        if (type == ImageType.Admin)
            return Common.Where(t => t.Tool is "mmdebstrap" or "tar").Where(t => Which(t.Tool) is null)
                .Select(t => $"{t.Tool} (Debian package {t.Package})").ToList();
        var needed = Common.AsEnumerable();
        if (users) needed = needed.Concat([("useradd", "passwd"), ("chpasswd", "passwd"), ("groupadd", "passwd")]);
        if (services) needed = needed.Append(("systemctl", "systemd"));
        if (type == ImageType.Vm) needed = needed.Concat(Vm.Where(t => qcow2 || t.Tool != "qemu-img"));
        // The PXE build makes the same ESP as a VM disk and packs the installer with cpio; partitioning happens on the target.
        if (type == ImageType.Pxe) needed = needed.Concat(Vm.Where(t => t.Tool is not ("qemu-img" or "sfdisk" or "dd"))).Append(("cpio", "cpio"));
        if (verity) needed = needed.Append(("veritysetup", "cryptsetup-bin"));
        if (grubPassword) needed = needed.Append(("grub-mkpasswd-pbkdf2", "grub-common"));
        var missing = needed.Where(t => Which(t.Tool) is null).Select(t => $"{t.Tool} (Debian package {t.Package})").ToList();
        if (type is ImageType.Vm or ImageType.Pxe)
        {
            if (!File.Exists("/usr/lib/grub/x86_64-efi/linux.mod")) missing.Add("GRUB x86_64-efi modules (Debian package grub-efi-amd64-bin)");
            if (legacyBios && !File.Exists("/usr/lib/grub/i386-pc/boot.img")) missing.Add("GRUB i386-pc modules (Debian package grub-pc-bin)");
        }
        return missing;
    }

    public static string? Which(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':')
                     .Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
