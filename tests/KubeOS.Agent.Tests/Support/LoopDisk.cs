using KubeOS.Agent.Node;

namespace KubeOS.Agent.Tests.Support;

/// <summary>
/// A KubeOS-shaped GPT disk (BOOT vfat, ROOT-A ext4 holding a v1 root, ROOT-B empty, PERSIST ext4) in a file attached
/// to a loop device, with a GRUB environment block and a kernel command line of its own. Needs root and loop devices.
/// Always detached and deleted, whatever the test did.
/// </summary>
public sealed class LoopDisk : IDisposable
{
    public const long RootBytes = 64L << 20;

    /// <param name="verity">
    /// Lay the disk out as the image builder's dm-verity variant: HASH-A (6) and HASH-B (7) partitions, ROOT-A's hash
    /// tree in HASH-A, and a grub.cfg rendered from the image's template whose entries boot through dm-verity (entry B
    /// with roothash=unset, as a freshly built disk has it).
    /// </param>
    public LoopDisk(string version = "KubeOS v1", bool verity = false)
    {
        Verity = verity;
        Dir = Path.Combine(Path.GetTempPath(), "kubeos-agent-loop-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(Dir);
        try
        {
            Create(version);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Dir { get; }
    public bool Verity { get; }
    public string GrubCfg => Path.Combine(Dir, "grub.cfg");

    /// <summary>ROOT-A's dm-verity root hash (verity disks).</summary>
    public string RootHashA { get; private set; } = "";
    public string Device { get; private set; } = "";
    public string GrubEnv => Path.Combine(Dir, "grubenv");
    public string Cmdline => Path.Combine(Dir, "cmdline");
    public string RebootMarker => Path.Combine(Dir, "rebooted");
    public string StateDir => Path.Combine(Dir, "state");
    public string Partition(int number) => $"{Device}p{number}";

    public NodeSystem System => new()
    {
        CmdlinePath = Cmdline,
        GrubEnvPath = GrubEnv,
        GrubCfgPath = GrubCfg,
        RunningRootDir = null,
        StateDir = StateDir,
        CertsDir = Path.Combine(Dir, "certs"),
        ProcSysRoot = Path.Combine(Dir, "proc-sys"),
        LimitsConfPath = Path.Combine(Dir, "limits.conf"),
        RebootCommand = ["touch", RebootMarker],
    };

    private void Create(string version)
    {
        var image = Path.Combine(Dir, "disk.img");
        using (var file = File.Create(image))
            file.SetLength((8 + 64 + 64 + 32 + 2 + (Verity ? 4 : 0)) << 20);
        var layout = Path.Combine(Dir, "layout.sfdisk");
        File.WriteAllText(layout, "label: gpt\nsize=8MiB, type=U, name=BOOT\nsize=64MiB, name=ROOT-A\nsize=64MiB, name=ROOT-B\n"
            + (Verity ? $"size=32MiB, name=PERSIST\n{image}6 : size=2MiB, name=HASH-A\n{image}7 : size=2MiB, name=HASH-B\n" : "name=PERSIST\n"));
        Shell.Run("sh", "-c", $"sfdisk -q '{image}' < '{layout}'");
        Device = Shell.Run("losetup", "-f", "--show", "-P", image).Trim();
        // Some kernels do not scan partitions of loop devices; partx adds them.
        if (!File.Exists(Partition(2)))
            Shell.Run("partx", "-a", Device);
        for (var i = 0; i < 50 && !File.Exists(Partition(Verity ? 7 : 4)); i++)
            Thread.Sleep(100);

        Shell.Run("mkfs.vfat", "-n", "BOOT", Partition(1));
        var rootA = RootTree.Create(Path.Combine(Dir, "rootA"), version);
        Shell.Run("mkfs.ext4", "-q", "-F", "-L", "ROOT-A", "-d", rootA, Partition(2));
        var persist = Path.Combine(Dir, "persist");
        Directory.CreateDirectory(Path.Combine(persist, "etc"));
        File.WriteAllText(Path.Combine(persist, "etc", "keep.conf"), "survives upgrades\n");
        Shell.Run("mkfs.ext4", "-q", "-F", "-L", "PERSIST", "-d", persist, Partition(4));

        Shell.Run("grub-editenv", GrubEnv, "create");
        Shell.Run("grub-editenv", GrubEnv, "set", "saved_entry=A");
        if (Verity)
        {
            var format = Shell.Run("veritysetup", "format", "--data-block-size=4096", "--hash-block-size=4096", Partition(2), Partition(6));
            RootHashA = global::System.Text.RegularExpressions.Regex.Match(format, @"Root hash:\s+([0-9a-f]{64})").Groups[1].Value;
            File.WriteAllText(GrubCfg, ImageGrubCfg.Render(RootHashA, "unset"));
        }
        BootFrom(2);
        Directory.CreateDirectory(System.CertsDir);
    }

    /// <summary>Makes the "running system" report partition n as its root, as after a reboot into it.</summary>
    public void BootFrom(int number)
    {
        var partUuid = Blkid(number, "PARTUUID");
        // A dm-verity root is /dev/mapper/root; which partition it checks is named by systemd.verity_root_data.
        // PARTUUID rather than the PARTLABEL the image uses: other loop disks on this host carry the same labels.
        File.WriteAllText(Cmdline, Verity
            ? $"BOOT_IMAGE=/boot/vmlinuz root=/dev/mapper/root systemd.verity_root_data=PARTUUID={partUuid} systemd.verity_root_hash=PARTUUID={Blkid(number + 4, "PARTUUID")} ro panic=3\n"
            : $"BOOT_IMAGE=/boot/vmlinuz root=PARTUUID={partUuid} ro rootfstype=ext4 panic=3\n");
    }

    public string Blkid(int number, string tag)
    {
        var (_, stdout, _) = Shell.TryRun("blkid", "-c", "/dev/null", "-o", "value", "-s", tag, Partition(number));
        return stdout.Trim();
    }

    public string PartitionSha(int number) => Shell.Sha256OfFile(Partition(number));

    public string GrubEnvList() => Shell.Run("grub-editenv", GrubEnv, "list");

    /// <summary>Mounts a partition read-only for the duration of <paramref name="read"/>.</summary>
    public T ReadFiles<T>(int number, Func<string, T> read)
    {
        var mountPoint = Path.Combine(Dir, "check-" + number);
        Directory.CreateDirectory(mountPoint);
        Shell.Run("mount", "-o", "ro", Partition(number), mountPoint);
        try
        {
            return read(mountPoint);
        }
        finally
        {
            Shell.TryRun("umount", mountPoint);
        }
    }

    public void Dispose()
    {
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo").Reverse())
        {
            var mountPoint = line.Split(' ')[4];
            if (mountPoint.StartsWith(Dir + "/", StringComparison.Ordinal))
                Shell.TryRun("umount", "-l", mountPoint);
        }
        if (Device.Length > 0)
        {
            Shell.TryRun("partx", "-d", Device);
            Shell.TryRun("losetup", "-d", Device);
        }
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A tiny root filesystem tree: a kernel file and an os-release, enough for the bootability check.</summary>
public static class RootTree
{
    public static string Create(string dir, string version, int fillerBytes = 0)
    {
        Directory.CreateDirectory(Path.Combine(dir, "boot"));
        Directory.CreateDirectory(Path.Combine(dir, "usr", "lib"));
        Directory.CreateDirectory(Path.Combine(dir, "etc"));
        File.WriteAllText(Path.Combine(dir, "boot", "vmlinuz"), "kernel of " + version);
        File.WriteAllText(Path.Combine(dir, "usr", "lib", "os-release"), $"NAME=KubeOS\nPRETTY_NAME=\"{version}\"\n");
        File.CreateSymbolicLink(Path.Combine(dir, "etc", "os-release"), "../usr/lib/os-release");
        if (fillerBytes > 0)
        {
            var filler = new byte[fillerBytes];
            new Random(42).NextBytes(filler);
            File.WriteAllBytes(Path.Combine(dir, "usr", "filler.bin"), filler);
        }
        return dir;
    }

    public static byte[] Tar(string dir)
    {
        var tar = dir + ".tar";
        Shell.Run("tar", "--numeric-owner", "-cf", tar, "-C", dir, ".");
        return File.ReadAllBytes(tar);
    }

    /// <summary>A raw ext4 image of the tree, sized to hold it.</summary>
    public static byte[] Ext4Image(string dir, string label, long bytes)
    {
        var image = dir + ".ext4";
        using (var file = File.Create(image))
            file.SetLength(bytes);
        Shell.Run("mkfs.ext4", "-q", "-F", "-L", label, "-d", dir, image);
        return File.ReadAllBytes(image);
    }
}
