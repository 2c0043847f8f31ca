using System.Diagnostics;
using System.Globalization;
using KubeOS.ImageBuilder.Admin;
using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Disk;
using KubeOS.ImageBuilder.Oci;
using KubeOS.ImageBuilder.Planning;
using KubeOS.ImageBuilder.Pxe;
using KubeOS.ImageBuilder.Rootfs;
using KubeOS.ImageBuilder.Tools;

namespace KubeOS.ImageBuilder;

/// <summary>
/// Builds KubeOS images. <see cref="PlanAsync"/> validates and lists what would be built; <see cref="BuildAsync"/>
/// builds it, reporting each stage. Both fail with <see cref="ImageConfigException"/> (key and fix named) before
/// any long work when the description is unusable.
/// </summary>
public sealed class KubeOSImageBuilder
{
    /// <summary>The user's packages, plus veritysetup on dm-verity nodes: os-agent writes and checks hash trees with it.</summary>
    private static IReadOnlyList<string> NodePackages(ImageConfig config) =>
        config.DmVerity is null || config.FromRepo!.Packages.Contains("cryptsetup-bin")
            ? config.FromRepo!.Packages
            : [.. config.FromRepo.Packages, "cryptsetup-bin"];

    private readonly IPackageSource _source;
    private readonly ProcessRunner _runner;
    private readonly HttpClient _http;

    public KubeOSImageBuilder(IPackageSource? source = null, Action<string>? log = null, HttpClient? http = null)
    {
        _source = source ?? new DebianPackageSource();
        _runner = new ProcessRunner(log);
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
    }

    public static ImageConfig LoadConfig(ImageBuildOptions options) =>
        options.Config ?? (options.ConfigPath is { } path
            ? KbimgTomlReader.ReadFile(path)
            : throw new ImageConfigException(new ConfigError("config", "no configuration was given.", "pass a kbimg TOML file.")));

    /// <summary>Validates everything that can be checked quickly (including that every package exists) and describes the build.</summary>
    public async Task<ImageBuildPlan> PlanAsync(ImageBuildOptions options, CancellationToken ct = default)
    {
        var (config, layout, request, key, cached) = await ValidateAsync(options, ct);
        return DescribePlan(options, config, layout, request, key, cached);
    }

    public async Task<ImageBuildResult> BuildAsync(ImageBuildOptions options, IProgress<ImageBuildProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("KubeOS images are built on Linux.");
        var (config, layout, request, key, cached) = await ValidateAsync(options, ct);
        var plan = DescribePlan(options, config, layout, request, key, cached);
        var stages = plan.Stages;
        void Report(ImageBuildStage stage, string message) =>
            progress?.Report(new ImageBuildProgress(stage, Math.Max(0, stages.ToList().IndexOf(stage)), stages.Count, message));
        Report(ImageBuildStage.Validate, "configuration is valid");

        Directory.CreateDirectory(options.OutputDirectory);
        var workRoot = options.WorkDirectory ?? DefaultWorkRoot(config);
        Directory.CreateDirectory(workRoot);
        var work = Path.Combine(workRoot, "build-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            var cache = new RootfsCache(options.CacheDirectory);
            Report(ImageBuildStage.Rootfs, cached ? $"using cached root filesystem {key}" : $"installing packages ({_source.Name})");
            var baseTar = cached ? cache.TarballPath(key) : await BuildBaseRootfsAsync(cache, request, key, work, ct);

            Report(ImageBuildStage.Customize, "customizing the root filesystem");
            var rootfs = Path.Combine(work, "rootfs");
            Directory.CreateDirectory(rootfs);
            await _runner.RunAsync("tar", ["--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf", baseTar, "-C", rootfs], ct);
            if (options.Type == ImageType.Admin)
            {
                AdminRootfs.Customize(rootfs, config);
            }
            else
            {
                await new RootfsCustomizer(_runner).CustomizeAsync(rootfs, config, ct);
            }
            var rootfsBytes = await DiskUsageAsync(rootfs, ct);
            if (options.Type != ImageType.Admin) CheckRootFits(config, rootfsBytes);

            var artifacts = new List<ImageArtifact>();
            var result = options.Type switch
            {
                ImageType.Vm => await BuildVmAsync(options, config, layout!, rootfs, work, artifacts, Report, ct),
                ImageType.Admin => await new AdminImageBuilder(_runner, _http).BuildAsync(options, config, rootfs, work, artifacts, Report, ct),
                ImageType.Pxe => await new PxeImageBuilder(_runner, (request, scratch, token) => RootfsTarballAsync(options, request, scratch, token))
                    .BuildAsync(options, config, layout!, rootfs, work, artifacts, Report, ct),
                _ => await BuildUpgradeAsync(options, config, rootfs, work, artifacts, Report, ct),
            };

            Report(ImageBuildStage.Done, "done");
            return result with
            {
                Artifacts = artifacts,
                RootfsFromCache = cached,
                RootfsBytes = rootfsBytes,
                Duration = clock.Elapsed,
            };
        }
        finally
        {
            if (!options.KeepWorkDirectory) TryDelete(work);
        }
    }

    private async Task<(ImageConfig, DiskLayout?, RootfsRequest, string, bool)> ValidateAsync(ImageBuildOptions options, CancellationToken ct)
    {
        var config = LoadConfig(options);
        var errors = ImageConfigValidator.Validate(config, options.Type, out var layout).ToList();
        if (options.PushReference is { } push && !ImageReference.TryParse(push, out _, out var problem))
            errors.Add(new ConfigError("push", problem, "give the registry host, repository and tag."));
        if (errors.Count > 0) throw new ImageConfigException(errors);

        var admin = options.Type == ImageType.Admin;
        var missingTools = admin
            ? HostTools.Missing(ImageType.Admin, false, false, false, false)
            : HostTools.Missing(options.Type, config.DmVerity is not null, config.FromRepo!.LegacyBios,
                config.Grub.Password is not null, options.Qcow2, config.Users.Count > 0, config.SystemdServices.Count > 0);
        if (missingTools.Count > 0)
            throw new ToolException("missing host tools: " + string.Join(", ", missingTools) + ". Install them with apt-get (see tools/apt-packages.txt).");

        var repo = config.FromRepo;
        var request = admin
            ? AdminImage.Request(config)
            : new RootfsRequest(repo!.Suite, repo.Mirror, repo.RepoPath is null ? null : config.ResolvePath(repo.RepoPath), NodePackages(config));
        var key = RootfsCache.Key(_source, request);
        var cache = new RootfsCache(options.CacheDirectory);
        var cached = !options.NoCache && cache.Contains(key);
        if (cached)
        {
            // The cached tarball's size is a lower bound for the root filesystem: a partition that cannot hold it
            // is reported now rather than after unpacking. A container root has no partition.
            if (!admin) CheckRootFits(config, new FileInfo(cache.TarballPath(key)).Length);
        }
        else
        {
            var missing = await _source.FindMissingPackagesAsync(request, _runner, ct);
            if (missing.Count > 0)
                throw new ImageConfigException(new ConfigError(admin ? "admin_container.packages" : "from_repo.rpmlist",
                    $"package(s) {string.Join(", ", missing)} do not exist in {request.Suite} ({repo?.RepoPath ?? request.Mirror}).",
                    "correct the package names (Debian names, e.g. openssh-server) or add the repository that has them."));
        }
        return (config, layout, request, key, cached);
    }

    private ImageBuildPlan DescribePlan(ImageBuildOptions options, ImageConfig config, DiskLayout? layout, RootfsRequest request, string key, bool cached)
    {
        var verity = config.DmVerity is not null;
        var stages = new List<ImageBuildStage> { ImageBuildStage.Validate, ImageBuildStage.Rootfs, ImageBuildStage.Customize };
        if (options.Type != ImageType.Admin) stages.Add(ImageBuildStage.RootImage);
        var artifacts = new List<PlannedArtifact>();
        var output = Path.GetFullPath(options.OutputDirectory);
        if (options.Type == ImageType.Admin)
        {
            stages.Add(ImageBuildStage.OciImage);
            artifacts.Add(new PlannedArtifact(ImageArtifactKind.OciLayout, Path.Combine(output, "oci"), null));
            if (options.PushReference is not null) stages.Add(ImageBuildStage.Push);
        }
        else if (options.Type == ImageType.Pxe)
        {
            stages.AddRange([ImageBuildStage.BootFiles, ImageBuildStage.Initramfs]);
            artifacts.AddRange(PxeImageBuilder.PlannedArtifacts(config, output));
        }
        else if (options.Type == ImageType.Vm)
        {
            if (verity) stages.Add(ImageBuildStage.Verity);
            stages.AddRange([ImageBuildStage.BootFiles, ImageBuildStage.Disk]);
            artifacts.Add(new PlannedArtifact(ImageArtifactKind.RawDisk, Path.Combine(output, "system.img"), layout!.TotalBytes));
            if (options.Qcow2)
            {
                stages.Add(ImageBuildStage.Convert);
                artifacts.Add(new PlannedArtifact(ImageArtifactKind.Qcow2Disk, Path.Combine(output, "system.qcow2"), null));
            }
        }
        else
        {
            artifacts.Add(new PlannedArtifact(ImageArtifactKind.RootImage, Path.Combine(output, "rootfs.img"), (long)config.DiskPartition.RootMiB * DiskLayout.MiB));
            if (verity)
            {
                stages.Add(ImageBuildStage.Verity);
                artifacts.Add(new PlannedArtifact(ImageArtifactKind.VerityHashTree, Path.Combine(output, "rootfs.verity"), null));
            }
            stages.AddRange([ImageBuildStage.RootfsTar, ImageBuildStage.OciImage]);
            artifacts.Add(new PlannedArtifact(ImageArtifactKind.RootfsTar, Path.Combine(output, "kubeos.tar"), null));
            artifacts.Add(new PlannedArtifact(ImageArtifactKind.OciLayout, Path.Combine(output, "oci"), null));
            if (options.PushReference is not null) stages.Add(ImageBuildStage.Push);
        }
        stages.AddRange([ImageBuildStage.Checksums, ImageBuildStage.Done]);
        var warnings = new List<string>();
        if (config.ChrootScript is not null && options.Type != ImageType.Admin) warnings.Add("chroot_script runs with chroot: the build must run as root.");
        if (options.Type == ImageType.Pxe && layout is not null)
            warnings.Add($"the PXE installer erases {config.PxeConfig!.Disk} (or the disk named by kubeos.disk=) and needs at least {layout.TotalMiB} MiB on it.");
        return new ImageBuildPlan
        {
            Type = options.Type,
            Version = options.Type == ImageType.Admin ? AdminImage.Version(config.AdminContainer!) : config.FromRepo!.Version,
            Stages = stages,
            Artifacts = artifacts,
            Partitions = layout?.Partitions.OrderBy(p => p.StartMiB).ToList() ?? [],
            RootfsCacheKey = key,
            RootfsCached = cached,
            Packages = _source.BasePackagesFor(request.Profile).Concat(request.Packages).Distinct().ToList(),
            Warnings = warnings,
        };
    }

    /// <summary>A cached root filesystem tarball for <paramref name="request"/>, built first when the cache lacks it.</summary>
    private async Task<string> RootfsTarballAsync(ImageBuildOptions options, RootfsRequest request, string work, CancellationToken ct)
    {
        var cache = new RootfsCache(options.CacheDirectory);
        var key = RootfsCache.Key(_source, request);
        return !options.NoCache && cache.Contains(key) ? cache.TarballPath(key) : await BuildBaseRootfsAsync(cache, request, key, work, ct);
    }

    private async Task<string> BuildBaseRootfsAsync(RootfsCache cache, RootfsRequest request, string key, string work, CancellationToken ct)
    {
        var temp = cache.TarballPath(key) + $".{Environment.ProcessId}.tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        try
        {
            await _source.BuildTarballAsync(request, temp, cache.PackageDirectory(_source, request), work, _runner, ct);
            return cache.Store(key, temp);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>ext4 needs room for its journal, inode tables and reserved blocks on top of the files.</summary>
    internal static long RequiredRootMiB(long rootfsBytes) => (long)Math.Ceiling(rootfsBytes * 1.05 / DiskLayout.MiB) + 40;

    private static void CheckRootFits(ImageConfig config, long rootfsBytes)
    {
        var need = RequiredRootMiB(rootfsBytes);
        if (config.DiskPartition.RootMiB < need)
        {
            var suggestion = (need + 63) / 64 * 64;
            throw new ImageConfigException(new ConfigError("disk_partition.root",
                $"{config.DiskPartition.RootMiB} MiB is too small for the root filesystem ({rootfsBytes / DiskLayout.MiB} MiB of files, about {need} MiB as ext4).",
                $"set disk_partition.root to {suggestion} or more, or install fewer packages."));
        }
    }

    private async Task<ImageBuildResult> BuildVmAsync(ImageBuildOptions options, ImageConfig config, DiskLayout layout, string rootfs,
        string work, List<ImageArtifact> artifacts, Action<ImageBuildStage, string> report, CancellationToken ct)
    {
        var fs = new FileSystems(_runner);
        var boot = new BootFiles(_runner);
        var repo = config.FromRepo!;

        report(ImageBuildStage.RootImage, "writing ROOT-A (ext4)");
        var rootImage = Path.Combine(work, "root-a.img");
        await fs.MakeExt4FileAsync(rootImage, "ROOT-A", config.DiskPartition.RootMiB, rootfs, ct);

        string? rootHash = null;
        string? hashImage = null;
        if (config.DmVerity is not null)
        {
            report(ImageBuildStage.Verity, "computing the dm-verity hash tree of ROOT-A");
            hashImage = Path.Combine(work, "hash-a.img");
            rootHash = await fs.VerityFormatAsync(rootImage, hashImage, ct);
        }

        report(ImageBuildStage.BootFiles, "building GRUB images, grub.cfg and grubenv");
        var bootDir = Path.Combine(work, "boot");
        var esp = Path.Combine(work, "esp.img");
        await boot.MakeKubeOSEspAsync(config.Grub, rootHash, layout[1].SizeMiB, bootDir, esp, ct);

        report(ImageBuildStage.Disk, "assembling the GPT disk");
        var disk = Path.Combine(options.OutputDirectory, "system.img");
        if (File.Exists(disk)) File.Delete(disk);
        await using (var f = new FileStream(disk, FileMode.CreateNew)) f.SetLength(layout.TotalBytes);
        await _runner.RunAsync("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", disk], ct, standardInput: layout.ToSfdiskScript(disk));
        await fs.WritePartitionAsync(disk, layout[1], esp, ct);
        await fs.WritePartitionAsync(disk, layout[2], rootImage, ct);
        // ROOT-B starts empty (as in KubeOS); the first upgrade writes it.
        await fs.MakeExt4InPlaceAsync(disk, layout[3], "ROOT-B", null, ct);
        if (hashImage is not null) await fs.WritePartitionAsync(disk, layout[6], hashImage, ct);
        await fs.MakeExt4InPlaceAsync(disk, layout[4], "PERSIST", await PersistContent.PrepareAsync(_runner, config, rootfs, work, ct), ct);
        if (repo.LegacyBios)
        {
            var core = Path.Combine(bootDir, "core.img");
            await boot.MakeBiosCoreImageAsync(core, ct);
            BiosBootInstaller.Install(disk, "/usr/lib/grub/i386-pc/boot.img", core, layout[5]);
        }
        artifacts.Add(await ArtifactAsync(ImageArtifactKind.RawDisk, disk, ct));

        if (options.Qcow2)
        {
            report(ImageBuildStage.Convert, "converting to qcow2");
            var qcow2 = Path.Combine(options.OutputDirectory, "system.qcow2");
            await _runner.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", disk, qcow2], ct);
            artifacts.Add(await ArtifactAsync(ImageArtifactKind.Qcow2Disk, qcow2, ct));
        }
        report(ImageBuildStage.Checksums, "checksums written");
        return new ImageBuildResult { Type = ImageType.Vm, Version = repo.Version, Artifacts = artifacts, VerityRootHash = rootHash };
    }

    private async Task<ImageBuildResult> BuildUpgradeAsync(ImageBuildOptions options, ImageConfig config, string rootfs, string work,
        List<ImageArtifact> artifacts, Action<ImageBuildStage, string> report, CancellationToken ct)
    {
        var repo = config.FromRepo!;
        var fs = new FileSystems(_runner);
        report(ImageBuildStage.RootImage, "writing the root ext4 image");
        var rootImage = Path.Combine(options.OutputDirectory, "rootfs.img");
        await fs.MakeExt4FileAsync(rootImage, "ROOT", config.DiskPartition.RootMiB, rootfs, ct);
        artifacts.Add(await ArtifactAsync(ImageArtifactKind.RootImage, rootImage, ct));

        string? rootHash = null;
        if (config.DmVerity is not null)
        {
            // A dm-verity node writes the root and its hash tree to the standby ROOT and HASH partitions and boots
            // with this root hash.
            report(ImageBuildStage.Verity, "computing the dm-verity hash tree of the root image");
            var hashImage = Path.Combine(options.OutputDirectory, "rootfs.verity");
            rootHash = await fs.VerityFormatAsync(rootImage, hashImage, ct);
            artifacts.Add(await ArtifactAsync(ImageArtifactKind.VerityHashTree, hashImage, ct));
        }

        report(ImageBuildStage.RootfsTar, "writing the rootfs tar (imagetype disk payload)");
        var tar = Path.Combine(options.OutputDirectory, "kubeos.tar");
        await _runner.RunAsync("tar", ["--numeric-owner", "--xattrs", "--xattrs-include=*", "-cf", tar, "-C", rootfs, "."], ct);
        artifacts.Add(await ArtifactAsync(ImageArtifactKind.RootfsTar, tar, ct));

        report(ImageBuildStage.OciImage, "writing the OCI image (/os.tar)");
        var tag = ImageConfigValidator.UpgradeTag(repo.UpgradeImage!);
        var image = await OciLayoutWriter.WriteAsync(tar, Path.Combine(options.OutputDirectory, "oci"), tag, repo.Version, ct);
        artifacts.Add(new ImageArtifact(ImageArtifactKind.OciLayout, image.LayoutDirectory, image.Layer.Size + image.Config.Size + image.Manifest.Size,
            image.Manifest.Digest["sha256:".Length..]));

        var pushed = await OciPush.PushIfRequestedAsync(_http, options, image, report, ct);
        report(ImageBuildStage.Checksums, "checksums written");
        return new ImageBuildResult
        {
            Type = ImageType.Upgrade, Version = repo.Version, Artifacts = artifacts,
            ManifestDigest = image.Manifest.Digest, PushedReference = pushed, VerityRootHash = rootHash,
        };
    }

    /// <summary>Hashes the file and writes the conventional "<hex>  <name>" file next to it.</summary>
    internal static async Task<ImageArtifact> ArtifactAsync(ImageArtifactKind kind, string path, CancellationToken ct)
    {
        var hex = await Sha256File.ComputeAsync(path, ct);
        await File.WriteAllTextAsync(path + ".sha256", $"{hex}  {Path.GetFileName(path)}\n", ct);
        return new ImageArtifact(kind, path, new FileInfo(path).Length, hex);
    }

    private async Task<long> DiskUsageAsync(string dir, CancellationToken ct)
    {
        var result = await _runner.RunAsync("du", ["-s", "-x", "-B1", dir], ct);
        return long.Parse(result.StandardOutput.Split('\t')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Unpacking a root filesystem is dominated by per-file metadata work; on tmpfs it is an order of magnitude faster
    /// than on disk, so scratch space goes to /dev/shm when it has room for the root and its image.
    /// </summary>
    private static string DefaultWorkRoot(ImageConfig config)
    {
        const string shm = "/dev/shm";
        try
        {
            var needed = 3L * config.DiskPartition.RootMiB * DiskLayout.MiB + 2048L * DiskLayout.MiB;
            if (Directory.Exists(shm) && new DriveInfo(shm).AvailableFreeSpace > needed) return Path.Combine(shm, "kubeos-image");
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Path.Combine(Path.GetTempPath(), "kubeos-image");
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
