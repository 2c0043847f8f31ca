using System.IO.Compression;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Pxe;

/// <summary>
/// Assembles the installer initramfs in a staging folder: busybox (the shell and the small tools), sfdisk and mke2fs
/// with the shared libraries they need, all taken from unpacked Debian packages, plus the node kernel's disk and
/// network modules; then packs it as a gzip'd newc cpio archive.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InitramfsAssembler(ProcessRunner runner)
{
    /// <summary>The busybox applets /init and the udhcpc script call; each becomes a link in /bin.</summary>
    public static readonly IReadOnlyList<string> BusyboxApplets =
    [
        "sh", "mount", "mkdir", "cat", "tee", "sync", "poweroff", "reboot", "insmod", "ip", "ifconfig", "route", "udhcpc",
        "sleep", "blockdev", "wget", "sha256sum", "cut", "dd", "gunzip", "tar", "cp", "echo", "ls", "tail",
    ];

    /// <summary>Programs taken from the unpacked packages, with the name they get in the initramfs.</summary>
    public static readonly IReadOnlyList<(string Program, string Target)> Programs =
    [
        ("busybox", "bin/busybox"), ("sfdisk", "sbin/sfdisk"), ("mke2fs", "sbin/mke2fs"),
    ];

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const string LibraryDirectory = "lib/x86_64-linux-gnu";
    private const string Loader = "ld-linux-x86-64.so.2";

    /// <param name="toolsRoot">Unpacked busybox-static, fdisk and e2fsprogs (with their libraries).</param>
    /// <param name="nodeRoot">The node's root filesystem: the modules must match its kernel.</param>
    public async Task AssembleAsync(string stage, string toolsRoot, string nodeRoot, string output, CancellationToken ct)
    {
        foreach (var dir in new[] { "bin", "sbin", "dev", "proc", "sys", "tmp", "run", "etc", LibraryDirectory, "lib64" })
            Directory.CreateDirectory(Path.Combine(stage, dir));

        foreach (var (program, target) in Programs)
        {
            CopyFile(FindProgram(toolsRoot, program), Path.Combine(stage, target));
            File.SetUnixFileMode(Path.Combine(stage, target), Executable);
        }
        foreach (var applet in BusyboxApplets)
            File.CreateSymbolicLink(Path.Combine(stage, "bin", applet), "busybox");
        File.CreateSymbolicLink(Path.Combine(stage, "sbin", "mkfs.ext4"), "mke2fs");
        // mke2fs refuses to format a device when it cannot tell whether it is mounted.
        File.CreateSymbolicLink(Path.Combine(stage, "etc", "mtab"), "/proc/mounts");
        var mke2fsConf = Path.Combine(toolsRoot, "etc/mke2fs.conf");
        if (File.Exists(mke2fsConf)) CopyFile(mke2fsConf, Path.Combine(stage, "etc/mke2fs.conf"));

        CopyLibraries(toolsRoot, Path.Combine(stage, LibraryDirectory));
        File.CreateSymbolicLink(Path.Combine(stage, "lib64", Loader), "/" + LibraryDirectory + "/" + Loader);

        var modules = CopyModules(nodeRoot, stage);
        await File.WriteAllLinesAsync(Path.Combine(stage, "kubeos/modules"), modules, ct);

        await PackAsync(stage, output, ct);
    }

    /// <summary>Every shared library of the unpacked packages (top level of the multiarch folders, links kept).</summary>
    private static void CopyLibraries(string toolsRoot, string target)
    {
        foreach (var dir in new[] { "lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu" }.Select(d => Path.Combine(toolsRoot, d)))
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos().Where(e => e.Name.Contains(".so", StringComparison.Ordinal)))
            {
                var destination = Path.Combine(target, entry.Name);
                if (File.Exists(destination) || new FileInfo(destination).LinkTarget is not null) continue;
                if (entry.LinkTarget is { } link) File.CreateSymbolicLink(destination, link);
                else if (entry is FileInfo) CopyFile(entry.FullName, destination);
            }
        }
        if (!File.Exists(Path.Combine(target, Loader)))
            throw new InvalidOperationException($"the unpacked installer packages hold no {Loader}; libc6 is missing from them");
    }

    /// <returns>The modules' paths inside the initramfs, in load order.</returns>
    private static IReadOnlyList<string> CopyModules(string nodeRoot, string stage)
    {
        var modulesRoot = Path.Combine(nodeRoot, "usr/lib/modules");
        if (!Directory.Exists(modulesRoot)) modulesRoot = Path.Combine(nodeRoot, "lib/modules");
        var versions = Directory.GetDirectories(modulesRoot);
        if (versions.Length != 1)
            throw new InvalidOperationException($"expected the modules of one kernel in {modulesRoot}, found {versions.Length}");
        var version = Path.GetFileName(versions[0]);
        var order = KernelModules.LoadOrder(File.ReadAllText(Path.Combine(versions[0], "modules.dep")), KernelModules.Wanted);
        var inside = new List<string>();
        foreach (var relative in order)
        {
            if (!relative.EndsWith(".ko", StringComparison.Ordinal))
                throw new InvalidOperationException($"kernel module {relative} is compressed; the installer's insmod loads plain .ko files only");
            var guest = $"lib/modules/{version}/{relative}";
            var destination = Path.Combine(stage, guest);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(Path.Combine(versions[0], relative), destination, overwrite: true);
            inside.Add("/" + guest);
        }
        return inside;
    }

    private async Task PackAsync(string stage, string output, CancellationToken ct)
    {
        var entries = new List<string> { "." };
        entries.AddRange(Directory.EnumerateFileSystemEntries(stage, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(stage, p)).Order(StringComparer.Ordinal));
        var cpio = output + ".cpio";
        if (File.Exists(cpio)) File.Delete(cpio);
        await runner.RunAsync("cpio", ["--quiet", "-o", "-H", "newc", "-R", "0:0", "-O", cpio], ct,
            workingDirectory: stage, standardInput: string.Join('\n', entries) + "\n");
        await using (var source = new FileStream(cpio, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
        await using (var target = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        await using (var gzip = new GZipStream(target, CompressionLevel.Optimal))
        {
            await source.CopyToAsync(gzip, 1 << 20, ct);
        }
        File.Delete(cpio);
    }

    private static string FindProgram(string root, string program)
    {
        foreach (var dir in new[] { "usr/sbin", "sbin", "usr/bin", "bin" })
        {
            var candidate = Path.Combine(root, dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException($"{program} is missing from the unpacked installer packages");
    }

    private static void CopyFile(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(source, destination, overwrite: true);
    }
}
