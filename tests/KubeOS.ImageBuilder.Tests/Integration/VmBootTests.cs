using System.Text.Json;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Integration;

/// <summary>
/// The built disk boots under QEMU through legacy BIOS and through UEFI (OVMF). A test unit in the image prints the
/// guest's view of its mounts to the serial console and powers off.
/// </summary>
public sealed class VmBootTests(ImageBuildFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    private static string MarkerLine(string log)
    {
        var line = log.Split('\n').FirstOrDefault(l => l.StartsWith(ImageBuildFixture.Marker, StringComparison.Ordinal));
        Assert.True(line is not null, "no marker on the serial console:\n" + QemuVm.Tail(log));
        return line!.TrimEnd('\r');
    }

    private static void AssertHealthyRoot(string marker, string device)
    {
        Assert.Contains("version=1.0.0", marker);
        Assert.Contains($"root={device} ", marker);
        Assert.Contains("rootopts=ro,", marker);
        Assert.Contains("persist=/dev/vda4 ", marker);
        Assert.Contains("etc=overlay ", marker);
        Assert.Contains("var=/dev/vda4[/var] ", marker);
        Assert.Contains("tmp=tmpfs ", marker);
        Assert.Contains("agent=active ", marker);
        Assert.Contains("data=yes", marker);
    }

    [Fact]
    public async Task Vm_Boots_root_A_read_only_through_legacy_bios()
    {
        var disk = (await fixture.VmAsync()).Find(ImageArtifactKind.Qcow2Disk)!.Path;
        var log = await QemuVm.BootAsync(disk, "qcow2", QemuVm.Firmware.Bios, fixture.RunDirectory, Limit);
        AssertHealthyRoot(MarkerLine(log), "/dev/vda2");
    }

    [Fact]
    public async Task Vm_Boots_root_A_read_only_through_uefi()
    {
        var disk = (await fixture.VmAsync()).Find(ImageArtifactKind.Qcow2Disk)!.Path;
        var log = await QemuVm.BootAsync(disk, "qcow2", QemuVm.Firmware.Uefi, fixture.RunDirectory, Limit);
        AssertHealthyRoot(MarkerLine(log), "/dev/vda2");
    }

    [Fact]
    public async Task Vm_Next_entry_boots_B_once_and_is_cleared_by_grub()
    {
        var source = (await fixture.VmAsync()).Find(ImageArtifactKind.RawDisk)!.Path;
        var disk = Path.Combine(fixture.RunDirectory, "trial.img");
        await HostProcess.CheckedAsync("cp", "--sparse=always", source, disk);
        var parts = JsonDocument.Parse(await HostProcess.CheckedAsync("sfdisk", "-J", disk)).RootElement
            .GetProperty("partitiontable").GetProperty("partitions").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("start").GetInt64());
        // Make B bootable with the same root, then arm a one-shot trial boot of B as the node agent would.
        var rootA = Path.Combine(fixture.RunDirectory, "trial-root.img");
        await HostProcess.CheckedAsync("dd", $"if={disk}", $"of={rootA}", "bs=1M", $"skip={parts["ROOT-A"] / 2048}", "count=600", "status=none");
        await HostProcess.CheckedAsync("dd", $"if={rootA}", $"of={disk}", "bs=1M", $"seek={parts["ROOT-B"] / 2048}", "conv=notrunc,sparse", "status=none");
        var env = Path.Combine(fixture.RunDirectory, "trial-grubenv");
        var esp = $"{disk}@@{parts["BOOT"] * 512}";
        await HostProcess.CheckedAsync("mcopy", "-o", "-i", esp, "::EFI/openEuler/grubenv", env);
        await HostProcess.CheckedAsync("grub-editenv", env, "set", "next_entry=B");
        await HostProcess.CheckedAsync("mcopy", "-o", "-i", esp, env, "::EFI/openEuler/grubenv");

        var log = await QemuVm.BootAsync(disk, "raw", QemuVm.Firmware.Bios, fixture.RunDirectory, Limit, writeToDisk: true);

        Assert.Contains("root=/dev/vda3 ", MarkerLine(log));
        Assert.Contains("BOOT_IMAGE=/boot/vmlinuz root=PARTLABEL=ROOT-B", log);
        // GRUB cleared the trial before booting it, so an unconfirmed B is not booted again: the next boot is A.
        await HostProcess.CheckedAsync("mcopy", "-o", "-i", esp, "::EFI/openEuler/grubenv", env);
        var after = await HostProcess.CheckedAsync("grub-editenv", env, "list");
        Assert.Contains("saved_entry=A", after);
        Assert.DoesNotContain("next_entry=B", after);
        File.Delete(disk);
    }

    [Fact]
    public async Task Vm_Verity_image_boots_a_verified_root_through_uefi()
    {
        var result = await fixture.VerityAsync();
        var disk = result.Find(ImageArtifactKind.RawDisk)!.Path;
        var log = await QemuVm.BootAsync(disk, "raw", QemuVm.Firmware.Uefi, fixture.RunDirectory, Limit);
        var marker = MarkerLine(log);
        Assert.Contains("root=/dev/mapper/root ", marker);
        Assert.Contains("rootopts=ro,", marker);
        Assert.Contains("etc=overlay ", marker);
        Assert.Contains($"roothash={result.VerityRootHash}", log);
    }
}
