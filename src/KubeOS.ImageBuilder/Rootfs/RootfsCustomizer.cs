using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Rootfs;

/// <summary>
/// Turns an extracted base root into a KubeOS root: identity, agent, read-only-root mount units, kernel files under
/// fixed names, passwords, users and the user's own files, scripts and services (kubeos.md §4.7, §6.4).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RootfsCustomizer(ProcessRunner runner)
{
    public const string AgentGuestPath = "usr/bin/os-agent";

    public async Task CustomizeAsync(string rootfs, ImageConfig config, CancellationToken ct)
    {
        var repo = config.FromRepo ?? throw new InvalidOperationException("from_repo is required");
        OsRelease.Write(rootfs, repo.Version);
        RenameKernelFiles(rootfs);
        InstallAgent(rootfs, config.ResolvePath(repo.AgentPath));
        InstallMountUnits(rootfs);
        WriteHostFiles(rootfs);
        PersistentSysctl.Install(rootfs);
        SetRootPassword(rootfs, repo.RootPasswordHash);
        foreach (var user in config.Users) await AddUserAsync(rootfs, user, ct);
        foreach (var copy in config.CopyFiles) await CopyAsync(rootfs, config.ResolvePath(copy.Source), copy, ct);
        if (config.ChrootScript is { } script) await RunChrootScriptAsync(rootfs, config.ResolvePath(script.Path), script.Remove, ct);
        if (config.SystemdServices.Count > 0)
            await runner.RunAsync("systemctl", ["--root=" + rootfs, "enable", .. config.SystemdServices], ct);
        // Last, so files added to /var by scripts and copies are seeded too.
        await SeedVarAsync(rootfs, ct);
    }

    /// <summary>GRUB entries name /boot/vmlinuz and /boot/initramfs.img, so kernel updates ride along with the root.</summary>
    internal static void RenameKernelFiles(string rootfs)
    {
        var boot = Path.Combine(rootfs, "boot");
        var kernels = Directory.GetFiles(boot, "vmlinuz-*");
        var initrds = Directory.GetFiles(boot, "initrd.img-*");
        if (kernels.Length != 1 || initrds.Length != 1)
            throw new InvalidOperationException($"expected one kernel and one initramfs in /boot, found {kernels.Length} and {initrds.Length}");
        File.Move(kernels[0], Path.Combine(boot, "vmlinuz"), overwrite: true);
        File.Move(initrds[0], Path.Combine(boot, "initramfs.img"), overwrite: true);
        foreach (var link in new[] { "vmlinuz", "vmlinuz.old", "initrd.img", "initrd.img.old" })
        {
            var p = Path.Combine(rootfs, link);
            if (new FileInfo(p).LinkTarget is not null || File.Exists(p)) File.Delete(p);
        }
    }

    private static void InstallAgent(string rootfs, string agentPath)
    {
        var target = Path.Combine(rootfs, AgentGuestPath);
        File.Copy(agentPath, target, overwrite: true);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        SystemdEnabler.InstallAndEnable(rootfs, "os-agent.service", ImageFiles.Read("os-agent.service"), "multi-user.target");
    }

    private static void InstallMountUnits(string rootfs)
    {
        foreach (var unit in ImageFiles.MountUnits)
            SystemdEnabler.InstallAndEnable(rootfs, unit, ImageFiles.Read(unit), "local-fs.target");
        foreach (var dir in new[] { "persist", "opt/cni", "boot/efi", "etc/KubeOS/certs" })
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
    }

    private static void WriteHostFiles(string rootfs)
    {
        // Root is mounted read-only from the kernel command line; there is no fstab entry for it on purpose, since the
        // root device differs between A and B. Everything writable comes from the mount units.
        File.WriteAllText(Path.Combine(rootfs, "etc/fstab"),
            "# KubeOS: / is read-only (kernel command line); /persist, /etc, /var, /opt/cni and /boot/efi are mount units.\n");
        // mmdebstrap copies the build host's name and resolver; neither belongs in the image.
        File.WriteAllText(Path.Combine(rootfs, "etc/hostname"), "kubeos\n");
        var resolv = Path.Combine(rootfs, "etc/resolv.conf");
        if (File.Exists(resolv) || new FileInfo(resolv).LinkTarget is not null) File.Delete(resolv);
        File.WriteAllText(resolv, "");
    }

    internal static void SetRootPassword(string rootfs, string hash)
    {
        var shadow = Path.Combine(rootfs, "etc/shadow");
        var lines = File.ReadAllLines(shadow);
        var found = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var fields = lines[i].Split(':');
            if (fields.Length < 2 || fields[0] != "root") continue;
            fields[1] = hash;
            lines[i] = string.Join(':', fields);
            found = true;
        }
        if (!found) throw new InvalidOperationException("/etc/shadow in the root filesystem has no root entry");
        var mode = File.GetUnixFileMode(shadow);
        File.WriteAllLines(shadow, lines);
        File.SetUnixFileMode(shadow, mode);
    }

    private async Task AddUserAsync(string rootfs, UserEntry user, CancellationToken ct)
    {
        var args = new List<string> { "--root", rootfs, "--create-home", "--shell", "/bin/bash" };
        if (user.PrimaryGroup is { } group)
        {
            var exists = (await File.ReadAllLinesAsync(Path.Combine(rootfs, "etc/group"), ct)).Any(l => l.Split(':')[0] == group);
            if (!exists) await runner.RunAsync("groupadd", ["--root", rootfs, group], ct);
            args.AddRange(["--gid", group]);
        }
        else
        {
            args.Add("--user-group");
        }
        if (user.Groups.Count > 0) args.AddRange(["--groups", string.Join(',', user.Groups)]);
        args.Add(user.Name);
        await runner.RunAsync("useradd", args, ct);
        await runner.RunAsync("chpasswd", ["--root", rootfs], ct, standardInput: $"{user.Name}:{user.Password}\n");
    }

    private async Task CopyAsync(string rootfs, string source, CopyFileEntry copy, CancellationToken ct)
    {
        var destination = Path.Combine(rootfs, copy.Destination.TrimStart('/'));
        if (copy.CreateDirectory) Directory.CreateDirectory(destination);
        await runner.RunAsync("cp", ["-r", "--no-preserve=ownership", source, destination], ct);
    }

    private async Task RunChrootScriptAsync(string rootfs, string script, bool remove, CancellationToken ct)
    {
        var inside = "/" + Path.GetFileName(script);
        File.Copy(script, Path.Combine(rootfs, inside.TrimStart('/')), overwrite: true);
        await runner.RunAsync("chroot", [rootfs, "/bin/bash", inside], ct);
        if (remove) File.Delete(Path.Combine(rootfs, inside.TrimStart('/')));
    }


    private async Task SeedVarAsync(string rootfs, CancellationToken ct)
    {
        var var = Path.Combine(rootfs, "var");
        var factory = Path.Combine(rootfs, VarSeed.FactoryPath);
        File.WriteAllText(Path.Combine(rootfs, VarSeed.TmpfilesPath), VarSeed.Render(var));
        if (Directory.Exists(factory)) Directory.Delete(factory, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(factory)!);
        // cp -a keeps owners, modes and links, which a managed copy would lose.
        await runner.RunAsync("cp", ["-a", var, factory], ct);
    }
}
