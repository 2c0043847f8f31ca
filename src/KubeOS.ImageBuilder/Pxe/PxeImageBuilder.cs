using System.IO.Compression;
using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Disk;
using KubeOS.ImageBuilder.Planning;
using KubeOS.ImageBuilder.Rootfs;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder.Pxe;

/// <summary>
/// kbimg pxe-img: the kernel, the installer initramfs and the root ext4 image it installs (kubeos.md §6.5). Serve the
/// root image as http://server_ip/rootfs_name; boot the kernel with the initramfs (PXE/iPXE/GRUB over the network).
/// </summary>
internal sealed class PxeImageBuilder(ProcessRunner runner, Func<RootfsRequest, string, CancellationToken, Task<string>> rootfsTarball)
{
    public const string KernelName = "vmlinuz";
    public const string InitramfsName = "initramfs.img";

    /// <summary>busybox (shell, wget, udhcpc, ...), sfdisk and mke2fs; unpacked only, for their binaries and libraries.</summary>
    public static readonly IReadOnlyList<string> InstallerPackages = ["busybox-static", "fdisk", "e2fsprogs"];

    public static IEnumerable<PlannedArtifact> PlannedArtifacts(ImageConfig config, string output) =>
    [
        new(ImageArtifactKind.Kernel, Path.Combine(output, KernelName), null),
        new(ImageArtifactKind.Initramfs, Path.Combine(output, InitramfsName), null),
        new(ImageArtifactKind.RootImage, Path.Combine(output, config.PxeConfig!.RootfsName), (long)config.DiskPartition.RootMiB * DiskLayout.MiB),
    ];

    public static RootfsRequest InstallerRequest(ImageConfig config)
    {
        var repo = config.FromRepo!;
        return new RootfsRequest(repo.Suite, repo.Mirror, repo.RepoPath is null ? null : config.ResolvePath(repo.RepoPath),
            InstallerPackages, RootfsProfile.Extract);
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task<ImageBuildResult> BuildAsync(ImageBuildOptions options, ImageConfig config, DiskLayout layout, string rootfs, string work,
        List<ImageArtifact> artifacts, Action<ImageBuildStage, string> report, CancellationToken ct)
    {
        var repo = config.FromRepo!;
        var pxe = config.PxeConfig!;
        var fs = new FileSystems(runner);
        var boot = new BootFiles(runner);

        report(ImageBuildStage.RootImage, $"writing the root image {pxe.RootfsName} (ext4, becomes ROOT-A)");
        var rootImage = Path.Combine(options.OutputDirectory, pxe.RootfsName);
        await fs.MakeExt4FileAsync(rootImage, "ROOT-A", config.DiskPartition.RootMiB, rootfs, ct);
        var root = await KubeOSImageBuilder.ArtifactAsync(ImageArtifactKind.RootImage, rootImage, ct);
        artifacts.Add(root);
        var kernel = Path.Combine(options.OutputDirectory, KernelName);
        File.Copy(Path.Combine(rootfs, "boot/vmlinuz"), kernel, overwrite: true);
        artifacts.Add(await KubeOSImageBuilder.ArtifactAsync(ImageArtifactKind.Kernel, kernel, ct));

        report(ImageBuildStage.BootFiles, "building the ESP, GRUB boot code and PERSIST content the installer writes");
        var stage = Path.Combine(work, "initramfs");
        var payload = Path.Combine(stage, "kubeos");
        Directory.CreateDirectory(payload);
        var esp = Path.Combine(work, "esp.img");
        var bootDir = Path.Combine(work, "boot");
        await boot.MakeKubeOSEspAsync(config.Grub, null, layout[1].SizeMiB, bootDir, esp, ct);
        await GzipAsync(esp, Path.Combine(payload, "esp.img.gz"), ct);
        if (repo.LegacyBios)
        {
            var core = Path.Combine(bootDir, "core.img");
            await boot.MakeBiosCoreImageAsync(core, ct);
            var (mbrCode, patchedCore) = BiosBootInstaller.Patch("/usr/lib/grub/i386-pc/boot.img", core, layout[5]);
            Directory.CreateDirectory(Path.Combine(payload, "bios"));
            await File.WriteAllBytesAsync(Path.Combine(payload, "bios/mbr.bin"), mbrCode, ct);
            await File.WriteAllBytesAsync(Path.Combine(payload, "bios/core.img"), patchedCore, ct);
        }
        var persist = await PersistContent.PrepareAsync(runner, config, rootfs, work, ct);
        await runner.RunAsync("tar", ["--numeric-owner", "-cf", Path.Combine(payload, "persist.tar"), "-C", persist, "."], ct);
        await File.WriteAllTextAsync(Path.Combine(payload, "partitions.sfdisk"), PxeDiskLayout.SfdiskScript(layout), ct);
        await File.WriteAllTextAsync(Path.Combine(payload, "pxe.conf"), PxeInstallerSettings.Render(pxe, repo.Version, root.Sha256!, layout.TotalMiB), ct);
        WriteScript(Path.Combine(stage, "init"), ImageFiles.Read("pxe-init.sh"));
        WriteScript(Path.Combine(payload, "udhcpc.script"), ImageFiles.Read("pxe-udhcpc.sh"));

        report(ImageBuildStage.Initramfs, "assembling the installer initramfs (busybox, sfdisk, mke2fs, kernel modules)");
        var toolsTar = await rootfsTarball(InstallerRequest(config), work, ct);
        var tools = Path.Combine(work, "installer-tools");
        Directory.CreateDirectory(tools);
        await runner.RunAsync("tar", ["--numeric-owner", "-xpf", toolsTar, "-C", tools], ct);
        var initramfs = Path.Combine(options.OutputDirectory, InitramfsName);
        await new InitramfsAssembler(runner).AssembleAsync(stage, tools, rootfs, initramfs, ct);
        artifacts.Add(await KubeOSImageBuilder.ArtifactAsync(ImageArtifactKind.Initramfs, initramfs, ct));

        report(ImageBuildStage.Checksums, "checksums written");
        return new ImageBuildResult { Type = ImageType.Pxe, Version = repo.Version, Artifacts = artifacts };
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static void WriteScript(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private static async Task GzipAsync(string source, string target, CancellationToken ct)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        await using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        await using var gzip = new GZipStream(output, CompressionLevel.Optimal);
        await input.CopyToAsync(gzip, 1 << 20, ct);
    }
}
