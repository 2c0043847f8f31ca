using System.Text.Json;
using KubeOS.ImageBuilder.Disk;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Integration;

/// <summary>The VM disk checked with the real tools: sfdisk, blkid, debugfs, mtools, grub-editenv, qemu-img.</summary>
public sealed class VmImageTests(ImageBuildFixture fixture)
{
    private const long MiB = 1024 * 1024;

    private async Task<(string Disk, JsonElement[] Parts)> DiskAsync()
    {
        var result = await fixture.VmAsync();
        var disk = result.Find(ImageArtifactKind.RawDisk)!.Path;
        var json = await HostProcess.CheckedAsync("sfdisk", "-J", disk);
        var parts = JsonDocument.Parse(json).RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray().ToArray();
        return (disk, parts);
    }

    private static JsonElement Part(JsonElement[] parts, string disk, int number) =>
        parts.Single(p => p.GetProperty("node").GetString() == disk + number);

    [Fact]
    public async Task Gpt_has_the_KubeOS_partitions_with_names_types_and_sizes()
    {
        var (disk, parts) = await DiskAsync();
        Assert.Equal(5, parts.Length);
        Assert.Equal("BOOT", Part(parts, disk, 1).GetProperty("name").GetString());
        Assert.Equal(DiskLayout.EspType, Part(parts, disk, 1).GetProperty("type").GetString());
        Assert.Equal("ROOT-A", Part(parts, disk, 2).GetProperty("name").GetString());
        Assert.Equal("ROOT-B", Part(parts, disk, 3).GetProperty("name").GetString());
        Assert.Equal("PERSIST", Part(parts, disk, 4).GetProperty("name").GetString());
        Assert.Equal(DiskLayout.BiosBootType, Part(parts, disk, 5).GetProperty("type").GetString());
        Assert.Equal(600 * 2048, Part(parts, disk, 2).GetProperty("size").GetInt64());
        Assert.Equal(600 * 2048, Part(parts, disk, 3).GetProperty("size").GetInt64());
        Assert.Equal(4L * 1024 * MiB, new FileInfo(disk).Length);
    }

    [Theory]
    [InlineData(1, "vfat", "BOOT")]
    [InlineData(2, "ext4", "ROOT-A")]
    [InlineData(3, "ext4", "ROOT-B")]
    [InlineData(4, "ext4", "PERSIST")]
    public async Task Partitions_carry_the_expected_filesystems_and_labels(int number, string type, string label)
    {
        var (disk, parts) = await DiskAsync();
        var p = Part(parts, disk, number);
        var offset = p.GetProperty("start").GetInt64() * 512;
        var size = p.GetProperty("size").GetInt64() * 512;
        var output = await HostProcess.CheckedAsync("blkid", "-p", "-O", offset.ToString(), "-S", size.ToString(), "-o", "export", disk);
        Assert.Contains($"TYPE={type}", output);
        Assert.Contains($"LABEL={label}", output);
    }

    private async Task<string> ExtFileAsync(int partition, string command)
    {
        var (disk, parts) = await DiskAsync();
        var offset = Part(parts, disk, partition).GetProperty("start").GetInt64() * 512;
        return await HostProcess.CheckedAsync("debugfs", "-R", command, $"{disk}?offset={offset}");
    }

    [Fact]
    public async Task Root_A_has_the_agent_its_unit_and_the_persist_mount_units()
    {
        var agent = await ExtFileAsync(2, "stat /usr/bin/os-agent");
        Assert.Contains("Mode:  0500", agent);
        Assert.Contains("User:     0", agent);
        var unit = await ExtFileAsync(2, "cat /usr/lib/systemd/system/os-agent.service");
        Assert.Contains("ExecStart=/usr/bin/os-agent", unit);
        var wants = await ExtFileAsync(2, "ls -l /etc/systemd/system/multi-user.target.wants");
        Assert.Contains("os-agent.service", wants);
        var etc = await ExtFileAsync(2, "cat /usr/lib/systemd/system/etc.mount");
        Assert.Contains("upperdir=/persist/etc", etc);
        Assert.Contains("workdir=/persist/etcwork", etc);
        var var = await ExtFileAsync(2, "cat /usr/lib/systemd/system/var.mount");
        Assert.Contains("What=/persist/var", var);
        var localFs = await ExtFileAsync(2, "ls -l /etc/systemd/system/local-fs.target.wants");
        foreach (var u in new[] { "persist.mount", "etc.mount", "var.mount", "opt-cni.mount", "boot-efi.mount", "tmp.mount" })
            Assert.Contains(u, localFs);
    }

    [Fact]
    public async Task Root_A_identifies_as_KubeOS_and_has_fixed_kernel_names()
    {
        var osRelease = await ExtFileAsync(2, "cat /usr/lib/os-release");
        Assert.Contains("PRETTY_NAME=\"KubeOS 1.0.0\"", osRelease);
        Assert.Contains("VERSION_ID=1.0.0", osRelease);
        var etcOsRelease = await ExtFileAsync(2, "stat /etc/os-release");
        Assert.Contains("File not found", etcOsRelease);
        var boot = await ExtFileAsync(2, "ls /boot");
        Assert.Contains("vmlinuz", boot);
        Assert.Contains("initramfs.img", boot);
        var shadow = await ExtFileAsync(2, "cat /etc/shadow");
        Assert.StartsWith("root:$6$kubeos$", shadow.Split('\n').First(l => l.StartsWith("root:")));
        var tmpfiles = await ExtFileAsync(2, "cat /usr/lib/tmpfiles.d/kubeos-var.conf");
        Assert.Contains("C /var/lib/dpkg/status", tmpfiles);
    }

    [Fact]
    public async Task Users_and_the_chroot_script_are_applied()
    {
        var passwd = await ExtFileAsync(2, "cat /etc/passwd");
        var ops = passwd.Split('\n').Single(l => l.StartsWith("ops:"));
        Assert.EndsWith(":/home/ops:/bin/bash", ops);
        var shadow = await ExtFileAsync(2, "cat /etc/shadow");
        Assert.StartsWith("ops:$", shadow.Split('\n').Single(l => l.StartsWith("ops:")));
        Assert.Contains("adm:x:4:ops", await ExtFileAsync(2, "cat /etc/group"));
        Assert.Contains("built by chroot script as root", await ExtFileAsync(2, "cat /etc/kubeos-chroot-script"));
        Assert.Contains("File not found", await ExtFileAsync(2, "stat /setup.sh"));
    }

    [Fact]
    public async Task Grub_password_is_stored_as_a_pbkdf2_hash()
    {
        var userCfg = await File.ReadAllTextAsync(await EspFileAsync("EFI/openEuler/user.cfg", "user.cfg"));
        Assert.Contains("password_pbkdf2 root grub.pbkdf2.sha512.", userCfg);
        Assert.DoesNotContain("grub-password", userCfg);
    }

    [Fact]
    public async Task Persist_is_prepared_for_the_overlays_and_user_folders()
    {
        var root = await ExtFileAsync(4, "ls /");
        foreach (var d in new[] { "etc", "etcwork", "var", "opt", "optwork", "data" }) Assert.Contains(d, root);
        Assert.Contains("certs", await ExtFileAsync(4, "ls /etc/KubeOS"));
        Assert.Contains("dpkg", await ExtFileAsync(4, "ls /var/lib"));
    }

    private async Task<string> EspFileAsync(string path, string localName)
    {
        var (disk, parts) = await DiskAsync();
        var offset = Part(parts, disk, 1).GetProperty("start").GetInt64() * 512;
        var local = Path.Combine(fixture.RunDirectory, localName);
        await HostProcess.CheckedAsync("mcopy", "-o", "-i", $"{disk}@@{offset}", "::" + path, local);
        return local;
    }

    [Fact]
    public async Task Esp_has_grub_for_uefi_and_a_config_with_A_and_B()
    {
        var cfg = await File.ReadAllTextAsync(await EspFileAsync("EFI/openEuler/grub.cfg", "grub.cfg"));
        Assert.Contains("menuentry 'A'", cfg);
        Assert.Contains("menuentry 'B'", cfg);
        Assert.Contains("root=PARTLABEL=ROOT-A ro", cfg);
        var efi = await File.ReadAllBytesAsync(await EspFileAsync("EFI/BOOT/BOOTX64.EFI", "bootx64.efi"));
        Assert.Equal((byte)'M', efi[0]);
        Assert.Equal((byte)'Z', efi[1]);
        var check = await HostProcess.RunAsync("grub-script-check", await EspFileAsync("EFI/openEuler/grub.cfg", "grub-check.cfg"));
        Assert.True(check.ExitCode == 0, check.Output);
    }

    [Fact]
    public async Task Grubenv_is_a_grub_environment_block_selecting_A()
    {
        var env = await EspFileAsync("EFI/openEuler/grubenv", "grubenv");
        Assert.Equal(1024, new FileInfo(env).Length);
        var list = await HostProcess.CheckedAsync("grub-editenv", env, "list");
        Assert.Contains("saved_entry=A", list);
    }

    [Fact]
    public async Task Mbr_carries_grub_boot_code_pointing_at_the_bios_boot_partition()
    {
        var (disk, parts) = await DiskAsync();
        var mbr = new byte[512];
        await using (var f = File.OpenRead(disk)) await f.ReadExactlyAsync(mbr);
        Assert.Equal((ulong)Part(parts, disk, 5).GetProperty("start").GetInt64(), BitConverter.ToUInt64(mbr, 0x5c));
        Assert.Equal(0x55, mbr[510]);
        Assert.Equal(0xAA, mbr[511]);
        Assert.Equal(0xEE, mbr[446 + 4]); // the protective MBR entry survived
    }

    [Fact]
    public async Task Qcow2_and_checksums_match_the_files()
    {
        var result = await fixture.VmAsync();
        var qcow2 = result.Find(ImageArtifactKind.Qcow2Disk)!;
        var info = await HostProcess.CheckedAsync("qemu-img", "info", "--output=json", qcow2.Path);
        Assert.Equal("qcow2", JsonDocument.Parse(info).RootElement.GetProperty("format").GetString());
        foreach (var a in result.Artifacts)
        {
            var line = await File.ReadAllTextAsync(a.Path + ".sha256");
            Assert.Equal($"{a.Sha256}  {Path.GetFileName(a.Path)}\n", line);
            Assert.Equal(new FileInfo(a.Path).Length, a.SizeBytes);
        }
        Assert.Equal(await Sha256File.ComputeAsync(qcow2.Path), qcow2.Sha256);
    }
}
