using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Disk;

/// <summary>GRUB images (EFI and i386-pc), grub.cfg, grubenv and the ESP that carries them.</summary>
public sealed class BootFiles(ProcessRunner runner)
{
    /// <summary>KubeOS keeps its boot files here; the node agent and grub.cmdline settings use this path.</summary>
    public const string EspDirectory = "EFI/openEuler";

    private static readonly string[] CommonModules =
    [
        "part_gpt", "part_msdos", "fat", "ext2", "search", "search_label", "search_fs_uuid", "normal", "linux",
        "configfile", "loadenv", "test", "echo", "regexp", "gzio", "serial", "terminal", "minicmd", "cat", "ls",
        "halt", "reboot", "sleep", "password_pbkdf2", "pbkdf2", "gcry_sha512", "true",
    ];

    public static string KernelCommandLine(char entry, string? verityRootHash, IReadOnlyList<string> extra)
    {
        var args = new List<string>();
        if (verityRootHash is null)
        {
            args.Add($"root=PARTLABEL=ROOT-{entry}");
        }
        else
        {
            // systemd's veritysetup generator in the initramfs opens /dev/mapper/root from these arguments.
            args.AddRange(["root=/dev/mapper/root", $"systemd.verity_root_data=PARTLABEL=ROOT-{entry}",
                $"systemd.verity_root_hash=PARTLABEL=HASH-{entry}", $"roothash={verityRootHash}"]);
        }
        args.AddRange(["ro", "rootfstype=ext4", "rootwait", "console=tty0", "console=ttyS0,115200", "panic=3"]);
        args.AddRange(extra);
        return string.Join(' ', args);
    }

    /// <param name="verityRootHashB">Unknown until an upgrade writes ROOT-B; the B entry then needs its hash.</param>
    public static string RenderGrubConfig(GrubSection grub, string? verityRootHashA, string? verityRootHashB)
    {
        var verity = verityRootHashA is not null;
        return ImageFiles.Read("grub.cfg")
            .Replace("@TIMEOUT@", grub.TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("@CMDLINE_A@", KernelCommandLine('A', verityRootHashA, grub.ExtraKernelArguments))
            .Replace("@CMDLINE_B@", KernelCommandLine('B', verity ? verityRootHashB ?? "unset" : null, grub.ExtraKernelArguments));
    }

    /// <summary>
    /// The KubeOS ESP: GRUB EFI (as the removable-media loader and under <see cref="EspDirectory"/>), grub.cfg with the
    /// A and B entries, grubenv and, with a GRUB password, user.cfg. Used by the VM disk and the PXE installer alike.
    /// </summary>
    public async Task MakeKubeOSEspAsync(GrubSection grub, string? verityRootHash, long sizeMiB, string workDirectory, string output,
        CancellationToken ct)
    {
        Directory.CreateDirectory(workDirectory);
        var efi = Path.Combine(workDirectory, "grubx64.efi");
        await MakeEfiImageAsync(efi, ct);
        var grubCfg = Path.Combine(workDirectory, "grub.cfg");
        await File.WriteAllTextAsync(grubCfg, RenderGrubConfig(grub, verityRootHash, null), ct);
        var grubEnv = Path.Combine(workDirectory, "grubenv");
        await MakeGrubEnvAsync(grubEnv, ct);
        var espFiles = new Dictionary<string, string>
        {
            ["EFI/BOOT/BOOTX64.EFI"] = efi,
            [$"{EspDirectory}/grubx64.efi"] = efi,
            [$"{EspDirectory}/grub.cfg"] = grubCfg,
            [$"{EspDirectory}/grubenv"] = grubEnv,
        };
        if (grub.Password is { } password)
        {
            var userCfg = Path.Combine(workDirectory, "user.cfg");
            await File.WriteAllTextAsync(userCfg, await MakeUserConfigAsync(password, ct), ct);
            espFiles[$"{EspDirectory}/user.cfg"] = userCfg;
        }
        await MakeEspAsync(output, sizeMiB, espFiles, ct);
    }

    public async Task MakeEfiImageAsync(string output, CancellationToken ct)
    {
        // A prefix without a device means "the partition this EFI binary was loaded from": the ESP.
        await runner.RunAsync("grub-mkimage", ["-O", "x86_64-efi", "-o", output, "-p", "/" + EspDirectory,
            .. CommonModules, "efi_gop", "efi_uga"], ct);
    }

    public async Task MakeBiosCoreImageAsync(string output, CancellationToken ct)
    {
        // The BIOS boots the first disk, and the ESP is partition 1 of it (the layout fixes both).
        await runner.RunAsync("grub-mkimage", ["-O", "i386-pc", "-o", output, "-p", "(hd0,gpt1)/" + EspDirectory,
            .. CommonModules, "biosdisk"], ct);
    }

    public async Task MakeGrubEnvAsync(string output, CancellationToken ct)
    {
        await runner.RunAsync("grub-editenv", [output, "create"], ct);
        await runner.RunAsync("grub-editenv", [output, "set", "saved_entry=A"], ct);
    }

    /// <summary>user.cfg with a PBKDF2 hash: entries stay bootable (--unrestricted), editing needs the password.</summary>
    public async Task<string> MakeUserConfigAsync(string password, CancellationToken ct)
    {
        var result = await runner.RunAsync("grub-mkpasswd-pbkdf2", [], ct, standardInput: $"{password}\n{password}\n");
        var hash = result.StandardOutput.Split(' ', '\n').FirstOrDefault(t => t.StartsWith("grub.pbkdf2.", StringComparison.Ordinal))
            ?? throw new ToolException("grub-mkpasswd-pbkdf2 printed no hash");
        return $"set superusers=\"root\"\nexport superusers\npassword_pbkdf2 root {hash}\n";
    }

    /// <summary>Creates the FAT32 ESP file and fills it with mtools (the host kernel need not support vfat).</summary>
    public async Task MakeEspAsync(string output, long sizeMiB, IReadOnlyDictionary<string, string> files, CancellationToken ct)
    {
        if (File.Exists(output)) File.Delete(output);
        await runner.RunAsync("mkfs.vfat", ["-C", "-F", "32", "-n", "BOOT", output, (sizeMiB * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)], ct);
        var dirs = files.Keys.Select(k => Path.GetDirectoryName(k)!.Replace('\\', '/'))
            .SelectMany(Ancestors).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var dir in dirs) await runner.RunAsync("mmd", ["-i", output, "::" + dir], ct);
        foreach (var (target, source) in files) await runner.RunAsync("mcopy", ["-i", output, source, "::" + target], ct);
    }

    private static IEnumerable<string> Ancestors(string dir)
    {
        var parts = dir.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i <= parts.Length; i++) yield return string.Join('/', parts.Take(i));
    }
}
