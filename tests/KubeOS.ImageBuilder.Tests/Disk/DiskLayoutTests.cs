using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Disk;

namespace KubeOS.ImageBuilder.Tests.Disk;

public sealed class DiskLayoutTests
{
    [Fact]
    public void Default_layout_matches_KubeOS_numbers_and_sizes()
    {
        var layout = DiskLayout.Create(new DiskPartitionSection(), legacyBios: false, verity: null, out var errors);
        Assert.Empty(errors);
        Assert.Equal(["BOOT", "ROOT-A", "ROOT-B", "PERSIST"], layout.Partitions.OrderBy(p => p.Number).Select(p => p.Name));
        Assert.Equal(60, layout[1].SizeMiB);
        Assert.Equal(2560, layout[2].SizeMiB);
        Assert.Equal(2560, layout[3].SizeMiB);
        Assert.Equal(20L * 1024 - 1 - layout[4].StartMiB, layout[4].SizeMiB);
        Assert.Equal(DiskLayout.EspType, layout[1].TypeGuid);
    }

    [Fact]
    public void Partitions_do_not_overlap_and_fit_the_disk()
    {
        var layout = DiskLayout.Create(new DiskPartitionSection { RootMiB = 600, ImageSizeGiB = 4 }, true, new DmVeritySection(), out var errors);
        Assert.Empty(errors);
        var ordered = layout.Partitions.OrderBy(p => p.StartMiB).ToList();
        Assert.True(ordered[0].StartMiB >= 1);
        for (var i = 1; i < ordered.Count; i++)
            Assert.Equal(ordered[i - 1].StartMiB + ordered[i - 1].SizeMiB, ordered[i].StartMiB);
        Assert.Equal(layout.TotalMiB - 1, ordered[^1].StartMiB + ordered[^1].SizeMiB);
        Assert.Equal("PERSIST", ordered[^1].Name);
    }

    [Fact]
    public void Bios_boot_and_hash_partitions_keep_A_and_B_on_2_and_3()
    {
        var layout = DiskLayout.Create(new DiskPartitionSection { RootMiB = 640, ImageSizeGiB = 4 }, true, new DmVeritySection(), out _);
        Assert.Equal("ROOT-A", layout[2].Name);
        Assert.Equal("ROOT-B", layout[3].Name);
        Assert.Equal(DiskLayout.BiosBootType, layout[5].TypeGuid);
        Assert.Equal(("HASH-A", "HASH-B"), (layout[6].Name, layout[7].Name));
        Assert.Equal(DiskLayout.DefaultHashMiB(640), layout[6].SizeMiB);
    }

    [Fact]
    public void Too_small_hash_partition_is_rejected()
    {
        DiskLayout.Create(new DiskPartitionSection { RootMiB = 4096, ImageSizeGiB = 20 }, false, new DmVeritySection { HashMiB = 2 }, out var errors);
        Assert.Equal("dm_verity.hash", Assert.Single(errors).Key);
    }

    [Fact]
    public void Sfdisk_script_numbers_partitions_by_device_suffix()
    {
        var layout = DiskLayout.Create(new DiskPartitionSection { RootMiB = 600, ImageSizeGiB = 4 }, true, null, out _);
        var script = layout.ToSfdiskScript("disk.img");
        Assert.StartsWith("label: gpt\n", script);
        Assert.Contains($"disk.img5 : start=2048, size=2048, type={DiskLayout.BiosBootType}, name=\"BIOS\"", script);
        Assert.Contains($"disk.img2 : start={layout[2].StartMiB * 2048}, size={600 * 2048}, type={DiskLayout.LinuxDataType}, name=\"ROOT-A\"", script);
    }

    [Fact]
    public void Root_size_check_scales_with_the_files()
    {
        Assert.True(KubeOSImageBuilder.RequiredRootMiB(400 * DiskLayout.MiB) > 400);
        Assert.True(KubeOSImageBuilder.RequiredRootMiB(800 * DiskLayout.MiB) > KubeOSImageBuilder.RequiredRootMiB(400 * DiskLayout.MiB) + 400);
    }
}
