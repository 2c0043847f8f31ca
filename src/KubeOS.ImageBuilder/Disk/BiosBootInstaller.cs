namespace KubeOS.ImageBuilder.Disk;

/// <summary>
/// Makes a GPT disk image bootable from legacy BIOS without a loop device: writes GRUB's i386-pc core.img into the
/// BIOS boot partition and boot.img into the MBR, patching the sector addresses that grub-bios-setup would patch
/// (grub-bios-setup only works on block devices).
/// </summary>
public static class BiosBootInstaller
{
    private const int SectorSize = 512;
    private const int MbrCodeLength = 440;          // bytes after this are the disk signature and partition table
    private const int KernelSectorOffset = 0x5c;    // boot.img: LBA of core.img's first sector
    private const int BootDriveOffset = 0x64;       // boot.img: 0xff = use the drive the BIOS booted from
    private const int DriveCheckOffset = 0x66;      // boot.img: jump around a floppy workaround, NOPed for hard disks
    private const int BlocklistStartOffset = SectorSize - 12; // core.img (diskboot): LBA of the rest of core.img

    public static void Install(string diskImage, string bootImg, string coreImg, PartitionSpec biosPartition)
    {
        var (mbrCode, core) = Patch(bootImg, coreImg, biosPartition);
        using var disk = new FileStream(diskImage, FileMode.Open, FileAccess.ReadWrite);
        disk.Position = 0;
        disk.Write(mbrCode);
        disk.Position = biosPartition.StartBytes;
        disk.Write(core);
    }

    /// <summary>
    /// The MBR boot code (the first 440 bytes, ahead of the disk signature and partition table) and core.img, patched
    /// for a BIOS boot partition at <paramref name="biosPartition"/>'s offset. The PXE installer writes these on the
    /// target, which is possible because that offset does not depend on the disk's size.
    /// </summary>
    public static (byte[] MbrCode, byte[] Core) Patch(string bootImg, string coreImg, PartitionSpec biosPartition)
    {
        var boot = File.ReadAllBytes(bootImg);
        var core = File.ReadAllBytes(coreImg);
        if (boot.Length != SectorSize) throw new InvalidDataException($"{bootImg} is {boot.Length} bytes, expected {SectorSize}");
        if (core.Length > biosPartition.SizeBytes)
            throw new InvalidDataException($"GRUB core.img ({core.Length} bytes) does not fit the {biosPartition.SizeMiB} MiB BIOS boot partition");
        var firstSector = (ulong)(biosPartition.StartBytes / SectorSize);
        BitConverter.TryWriteBytes(boot.AsSpan(KernelSectorOffset, 8), firstSector);
        boot[BootDriveOffset] = 0xff;
        boot[DriveCheckOffset] = 0x90;
        boot[DriveCheckOffset + 1] = 0x90;
        BitConverter.TryWriteBytes(core.AsSpan(BlocklistStartOffset, 8), firstSector + 1);
        return (boot[..MbrCodeLength], core);
    }
}
