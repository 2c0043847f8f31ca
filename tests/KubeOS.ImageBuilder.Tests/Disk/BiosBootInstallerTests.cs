using KubeOS.ImageBuilder.Disk;

namespace KubeOS.ImageBuilder.Tests.Disk;

public sealed class BiosBootInstallerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kbimg-bios-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Patches_sector_addresses_and_keeps_the_partition_table()
    {
        var disk = Path.Combine(_dir, "disk.img");
        var table = new byte[512];
        for (var i = 440; i < 512; i++) table[i] = (byte)i;
        using (var f = File.Create(disk)) { f.SetLength(4 * DiskLayout.MiB); f.Write(table); }
        var boot = Path.Combine(_dir, "boot.img");
        File.WriteAllBytes(boot, Enumerable.Repeat((byte)0xAA, 512).ToArray());
        var core = Path.Combine(_dir, "core.img");
        File.WriteAllBytes(core, Enumerable.Repeat((byte)0x11, 3000).ToArray());

        BiosBootInstaller.Install(disk, boot, core, new PartitionSpec(5, "BIOS", DiskLayout.BiosBootType, 1, 1, PartitionContent.BiosBoot));

        var bytes = File.ReadAllBytes(disk);
        Assert.Equal(2048UL, BitConverter.ToUInt64(bytes, 0x5c));
        Assert.Equal(0xff, bytes[0x64]);
        Assert.Equal(new byte[] { 0x90, 0x90 }, bytes[0x66..0x68]);
        Assert.Equal(table[440..], bytes[440..512]);
        Assert.Equal(2049UL, BitConverter.ToUInt64(bytes, (int)DiskLayout.MiB + 512 - 12));
        Assert.Equal(0x11, bytes[(int)DiskLayout.MiB + 2999]);
        Assert.Equal(0, bytes[(int)DiskLayout.MiB + 3000]);
    }

    [Fact]
    public void Refuses_a_core_image_larger_than_the_partition()
    {
        var disk = Path.Combine(_dir, "d.img");
        File.WriteAllBytes(disk, new byte[512]);
        var boot = Path.Combine(_dir, "b.img");
        File.WriteAllBytes(boot, new byte[512]);
        var core = Path.Combine(_dir, "c.img");
        File.WriteAllBytes(core, new byte[DiskLayout.MiB + 1]);
        Assert.Throws<InvalidDataException>(() =>
            BiosBootInstaller.Install(disk, boot, core, new PartitionSpec(5, "BIOS", DiskLayout.BiosBootType, 1, 1, PartitionContent.BiosBoot)));
    }
}
