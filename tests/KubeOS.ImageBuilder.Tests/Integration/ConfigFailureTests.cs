using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Integration;

/// <summary>Bad descriptions stop before the long work with the key and the fix named.</summary>
public sealed class ConfigFailureTests(ImageBuildFixture fixture)
{
    [Fact]
    public async Task Missing_package_is_named_by_the_plan()
    {
        var options = fixture.Options("missing-pkg", ImageType.Vm,
            fixture.Toml("1.0.0").Replace("legacy_bios = true", "legacy_bios = true\nrpmlist = [\"kubeos-no-such-package\"]"));
        var ex = await Assert.ThrowsAsync<ImageConfigException>(() => new KubeOSImageBuilder().PlanAsync(options));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("from_repo.rpmlist", e.Key);
        Assert.Contains("kubeos-no-such-package", e.Problem);
    }

    [Fact]
    public async Task Root_partition_too_small_names_disk_partition_root()
    {
        await fixture.VmAsync(); // the rootfs is cached by now
        var options = fixture.Options("small-root", ImageType.Vm, fixture.Toml("1.0.0").Replace("root = 600", "root = 200"));
        var ex = await Assert.ThrowsAsync<ImageConfigException>(() => new KubeOSImageBuilder().BuildAsync(options));
        Assert.Equal("disk_partition.root", Assert.Single(ex.Errors).Key);
        Assert.Contains("set disk_partition.root to", ex.Errors[0].Fix);
        Assert.False(File.Exists(Path.Combine(options.OutputDirectory, "system.img")));
    }

    [Fact]
    public async Task Plan_lists_stages_partitions_and_artifacts_without_building()
    {
        await fixture.VmAsync();
        var options = fixture.Options("plan", ImageType.Vm, fixture.Toml("1.0.0"));
        var plan = await new KubeOSImageBuilder().PlanAsync(options);
        Assert.True(plan.RootfsCached);
        Assert.Equal([ImageBuildStage.Validate, ImageBuildStage.Rootfs, ImageBuildStage.Customize, ImageBuildStage.RootImage,
            ImageBuildStage.BootFiles, ImageBuildStage.Disk, ImageBuildStage.Convert, ImageBuildStage.Checksums, ImageBuildStage.Done], plan.Stages);
        Assert.Equal(["BIOS", "BOOT", "ROOT-A", "ROOT-B", "PERSIST"], plan.Partitions.Select(p => p.Name));
        Assert.Contains(plan.Artifacts, a => a.Kind == ImageArtifactKind.RawDisk && a.SizeBytes == 4L << 30);
        Assert.False(Directory.Exists(options.OutputDirectory));
    }

    [Fact]
    public async Task Build_reports_every_planned_stage_in_order()
    {
        await fixture.UpgradeAsync();
        var seen = new List<ImageBuildProgress>();
        var options = fixture.Options("progress", ImageType.Upgrade, fixture.Toml("2.0.2"));
        var result = await new KubeOSImageBuilder().BuildAsync(options, new InlineProgress(seen.Add));
        var plan = await new KubeOSImageBuilder().PlanAsync(options);
        Assert.Equal(plan.Stages, seen.Select(p => p.Stage).Distinct());
        Assert.Equal(100, seen[^1].PercentComplete);
        Assert.Equal("2.0.2", result.Version);
    }

    private sealed class InlineProgress(Action<ImageBuildProgress> report) : IProgress<ImageBuildProgress>
    {
        public void Report(ImageBuildProgress value) => report(value);
    }
}
