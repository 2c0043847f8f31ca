using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Disk;

namespace KubeOS.ImageBuilder.Pxe;

/// <summary>
/// The layout the installer writes: the VM image's partitions at the same offsets, with PERSIST taking whatever the
/// target disk has after them. The returned layout shows the smallest disk that can hold it.
/// </summary>
public static class PxeDiskLayout
{
    public static DiskLayout Create(ImageConfig config, List<ConfigError> errors)
    {
        if (config.PxeConfig is null)
            errors.Add(new ConfigError("pxe_config", "is missing; PXE images need to know the server and the target disk.",
                "add a [pxe_config] table with rootfs_name, disk, server_ip and dhcp = true (or local_ip, netmask, net_name, route_ip)."));
        if (config.DmVerity is not null)
            errors.Add(new ConfigError("dm_verity", "PXE installs do not support dm-verity (as in KubeOS).", "remove [dm_verity] or build a vm image."));
        // The disk size is only known on the target, so img_size does not apply; the layout is computed for a disk
        // large enough and then cut down to the minimum.
        var open = DiskLayout.Create(config.DiskPartition with { ImageSizeGiB = 64 * 1024 }, config.FromRepo?.LegacyBios ?? false, null, out var layoutErrors);
        errors.AddRange(layoutErrors);
        var persist = open[4];
        var minimum = persist.StartMiB + DiskPartitionSection.MinimumPersistMiB + 1;
        return new DiskLayout(open.Partitions.Select(p => p.Number == 4 ? p with { SizeMiB = DiskPartitionSection.MinimumPersistMiB } : p).ToList(), minimum);
    }

    /// <summary>
    /// sfdisk input for the target: no device names, so lines are numbered in order (1 BOOT, 2 ROOT-A, 3 ROOT-B,
    /// 4 PERSIST, 5 BIOS boot) whatever the disk is called; PERSIST has no size and so extends to the end.
    /// </summary>
    public static string SfdiskScript(DiskLayout layout)
    {
        var lines = new List<string> { "label: gpt", "unit: sectors", "first-lba: 2048", "" };
        foreach (var p in layout.Partitions.OrderBy(p => p.Number))
        {
            var size = p.Content == PartitionContent.Persist ? "" : $" size={p.SizeMiB * 2048},";
            lines.Add($"start={p.StartMiB * 2048},{size} type={p.TypeGuid}, name=\"{p.Name}\"");
        }
        return string.Join('\n', lines) + "\n";
    }
}
