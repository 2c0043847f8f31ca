using KubeOS.ImageBuilder.Configuration;
using KubeOS.ImageBuilder.Disk;
using KubeOS.ImageBuilder.Pxe;

namespace KubeOS.ImageBuilder.Tests.Pxe;

public sealed class PxeUnitTests
{
    [Fact]
    public void Modules_load_after_their_dependencies_and_missing_ones_are_skipped()
    {
        const string dep = """
            kernel/drivers/virtio/virtio.ko:
            kernel/drivers/virtio/virtio_ring.ko:
            kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
            kernel/drivers/virtio/virtio_pci_modern_dev.ko:
            kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
            kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
            kernel/net/core/failover.ko:
            kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
            kernel/drivers/nvme/host/nvme-core.ko:
            kernel/drivers/nvme/host/nvme.ko: kernel/drivers/nvme/host/nvme-core.ko
            kernel/fs/ext4/ext4.ko: kernel/fs/jbd2/jbd2.ko
            """;
        var order = KernelModules.LoadOrder(dep, ["virtio_pci", "virtio_blk", "virtio_net", "nvme", "ata_piix"]).ToList();

        Assert.Equal(10, order.Count);
        Assert.DoesNotContain("kernel/fs/ext4/ext4.ko", order);
        Assert.Equal(order.Count, order.Distinct().Count());
        foreach (var line in dep.Split('\n'))
        {
            var module = line.Split(':')[0].Trim();
            if (!order.Contains(module)) continue;
            foreach (var need in line.Split(':')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(order.IndexOf(need) < order.IndexOf(module), $"{need} must load before {module}");
        }
        Assert.Equal("nvme_core", KernelModules.NameOf("kernel/drivers/nvme/host/nvme-core.ko"));
    }

    [Fact]
    public void Sfdisk_script_numbers_partitions_in_order_and_lets_persist_fill_the_disk()
    {
        var config = new ImageConfig
        {
            FromRepo = new FromRepoSection { LegacyBios = true },
            PxeConfig = new PxeConfigSection(),
            DiskPartition = new DiskPartitionSection { RootMiB = 1000, BootMiB = 60 },
        };
        var errors = new List<ConfigError>();
        var layout = PxeDiskLayout.Create(config, errors);
        Assert.Empty(errors);
        var lines = PxeDiskLayout.SfdiskScript(layout).Split('\n').Where(l => l.StartsWith("start=", StringComparison.Ordinal)).ToList();

        Assert.Equal(5, lines.Count);
        Assert.Contains("name=\"BOOT\"", lines[0]);
        // BIOS boot (1 MiB at 1 MiB), then BOOT (60 MiB), then ROOT-A.
        Assert.Equal($"start={(2 + 60) * 2048}, size={1000 * 2048}, type={DiskLayout.LinuxDataType}, name=\"ROOT-A\"", lines[1]);
        Assert.Contains("name=\"ROOT-B\"", lines[2]);
        Assert.DoesNotContain("size=", lines[3]);
        Assert.Contains("name=\"PERSIST\"", lines[3]);
        Assert.Equal($"start=2048, size=2048, type={DiskLayout.BiosBootType}, name=\"BIOS\"", lines[4]);
    }

    [Fact]
    public void Installer_settings_quote_every_value_for_the_shell()
    {
        var text = PxeInstallerSettings.Render(new PxeConfigSection
        {
            RootfsName = "root.img", Disk = "/dev/nvme0n1", ServerIp = "10.0.0.1", Dhcp = true,
        }, "1.2.3", "abc123", 4096);
        Assert.Contains("disk='/dev/nvme0n1'\n", text);
        Assert.Contains("dhcp='true'\n", text);
        Assert.Contains("local_ip=''\n", text);
        Assert.Contains("rootfs_sha256='abc123'\n", text);
        Assert.Contains("min_disk_mib='4096'\n", text);
        Assert.Contains("version='1.2.3'\n", text);
    }
}
