using System.Text.Json;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Pxe;

/// <summary>
/// The installer end to end under QEMU TCG: kernel and initramfs booted directly, the root image served over HTTP from
/// 127.0.0.1 through a guestfwd rule (restricted user networking), an empty target disk. The installed disk is then
/// checked with sfdisk and blkid and booted.
/// </summary>
public sealed class PxeInstallTests(ImageBuildFixture fixture)
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Installer_fetches_and_verifies_the_root_then_partitions_and_installs_a_bootable_disk()
    {
        var result = await fixture.PxeAsync();
        var root = result.Find(ImageArtifactKind.RootImage)!;
        // Served under another name, which a kernel argument gives the installer: overrides reach it.
        var (log, target, requests) = await InstallAsync(result, "pxe-target", "/served.img", root.Path, "kubeos.rootfs_name=served.img");
        var installer = string.Join('\n', log.Split('\n').Where(l => l.StartsWith("kubeos-pxe:", StringComparison.Ordinal)));
        Assert.True(installer.Contains("kubeos-pxe: installed KubeOS 1.0.0 on /dev/vda"), "the installer did not finish:\n" + QemuVm.Tail(log));
        Assert.Contains("kubeos-pxe: network: eth0 10.0.2.15 netmask 255.255.255.0 via 10.0.2.2", installer);
        Assert.Contains($"kubeos-pxe: root image verified (sha256 {root.Sha256})", installer);
        Assert.Contains("GET /served.img HTTP/1.1 200", requests);

        var disk = Path.Combine(fixture.RunDirectory, "pxe-target.img");
        await HostProcess.CheckedAsync("qemu-img", "convert", "-f", "qcow2", "-O", "raw", target, disk);
        File.Delete(target);
        var parts = JsonDocument.Parse(await HostProcess.CheckedAsync("sfdisk", "-J", disk)).RootElement
            .GetProperty("partitiontable").GetProperty("partitions").EnumerateArray()
            .ToDictionary(p => p.GetProperty("node").GetString()![disk.Length..], p => p);
        Assert.Equal(["1", "2", "3", "4", "5"], parts.Keys.Order());
        Assert.Equal(600 * 2048, parts["2"].GetProperty("size").GetInt64());
        var persistEnd = parts["4"].GetProperty("start").GetInt64() + parts["4"].GetProperty("size").GetInt64();
        Assert.InRange(5L * 1024 * 2048 - persistEnd, 33, 2048);
        foreach (var (number, type, label) in new[] { ("1", "vfat", "BOOT"), ("2", "ext4", "ROOT-A"), ("3", "ext4", "ROOT-B"), ("4", "ext4", "PERSIST") })
        {
            var offset = parts[number].GetProperty("start").GetInt64() * 512;
            var size = parts[number].GetProperty("size").GetInt64() * 512;
            var blkid = await HostProcess.CheckedAsync("blkid", "-p", "-O", offset.ToString(), "-S", size.ToString(), "-o", "export", disk);
            Assert.Contains($"TYPE={type}", blkid);
            Assert.Contains($"LABEL={label}", blkid);
        }
        // ROOT-A holds the served image byte for byte; PERSIST has the install log and the seeded /var.
        var rootA = Path.Combine(fixture.RunDirectory, "pxe-root-a.img");
        await HostProcess.CheckedAsync("dd", $"if={disk}", $"of={rootA}", "bs=1M", $"skip={parts["2"].GetProperty("start").GetInt64() / 2048}",
            "count=600", "status=none");
        Assert.Equal(root.Sha256, await Sha256File.ComputeAsync(rootA));
        File.Delete(rootA);
        var persist = $"{disk}?offset={parts["4"].GetProperty("start").GetInt64() * 512}";
        Assert.Contains("kubeos-pxe: root image verified", await HostProcess.CheckedAsync("debugfs", "-R", "cat /install.log", persist));
        var listing = await HostProcess.CheckedAsync("debugfs", "-R", "ls /", persist);
        Assert.Contains("var", listing);
        Assert.Contains("etcwork", listing);
        Assert.Contains("data", listing);

        // The installed disk boots root A read-only through legacy BIOS with PERSIST mounted.
        var boot = await QemuVm.BootAsync(disk, "raw", QemuVm.Firmware.Bios, fixture.RunDirectory, TimeSpan.FromMinutes(4), writeToDisk: true);
        var marker = boot.Split('\n').FirstOrDefault(l => l.StartsWith(ImageBuildFixture.Marker, StringComparison.Ordinal));
        Assert.True(marker is not null, "the installed disk printed no marker:\n" + QemuVm.Tail(boot));
        Assert.Contains("version=1.0.0", marker);
        Assert.Contains("root=/dev/vda2 ", marker);
        Assert.Contains("persist=/dev/vda4 ", marker);
        Assert.Contains("data=yes", marker);
        File.Delete(disk);
    }

    [Fact]
    public async Task A_root_image_with_the_wrong_checksum_is_rejected_and_nothing_bootable_is_left()
    {
        var result = await fixture.PxeAsync();
        var junk = Path.Combine(fixture.RunDirectory, "junk.img");
        await File.WriteAllBytesAsync(junk, Enumerable.Range(0, 8 << 20).Select(i => (byte)(i * 7)).ToArray());

        var (log, target, _) = await InstallAsync(result, "pxe-rejected", "/rootfs.img", junk);

        Assert.Contains("kubeos-pxe: FAILED: root image sha256 is", log);
        Assert.DoesNotContain("kubeos-pxe: installed", log);
        var disk = Path.Combine(fixture.RunDirectory, "pxe-rejected.img");
        await HostProcess.CheckedAsync("qemu-img", "convert", "-f", "qcow2", "-O", "raw", target, disk);
        var parts = JsonDocument.Parse(await HostProcess.CheckedAsync("sfdisk", "-J", disk)).RootElement
            .GetProperty("partitiontable").GetProperty("partitions").EnumerateArray()
            .ToDictionary(p => p.GetProperty("node").GetString()![disk.Length..], p => p.GetProperty("start").GetInt64() * 512);
        // Neither the ESP nor a root filesystem was written.
        foreach (var number in new[] { "1", "2" })
        {
            var (code, probe) = await HostProcess.RunAsync("blkid", "-p", "-O", parts[number].ToString(), "-o", "export", disk);
            Assert.True(code != 0 || !probe.Contains("TYPE="), $"partition {number} holds a filesystem after a rejected install: {probe}");
        }
        File.Delete(disk);
        File.Delete(target);
    }

    /// <summary>Boots the installer (one vCPU) against an empty 5 GiB disk with one file served over HTTP.</summary>
    private async Task<(string Log, string Target, IReadOnlyCollection<string> Requests)> InstallAsync(ImageBuildResult result, string name,
        string urlPath, string servedFile, string extraKernelArguments = "")
    {
        await using var server = new StaticHttpServer(new Dictionary<string, string> { [urlPath] = servedFile });
        var target = Path.Combine(fixture.RunDirectory, name + ".qcow2");
        await HostProcess.CheckedAsync("qemu-img", "create", "-q", "-f", "qcow2", target, "5G");
        var serial = Path.Combine(fixture.RunDirectory, name + ".log");
        var (code, output) = await HostProcess.RunAsync("timeout", "--kill-after=5", "240", "qemu-system-x86_64",
            // One vCPU: the installer is a single pipeline of work, and pipes between two TCG vCPUs are many times slower.
            "-machine", "pc,accel=tcg", "-cpu", "qemu64", "-smp", "1", "-m", "1024", "-display", "none", "-no-reboot",
            "-kernel", result.Find(ImageArtifactKind.Kernel)!.Path, "-initrd", result.Find(ImageArtifactKind.Initramfs)!.Path,
            "-append", $"console=ttyS0 panic=5 {extraKernelArguments}".TrimEnd(),
            "-drive", $"file={target},format=qcow2,if=virtio",
            "-nic", $"user,restrict=on,model=virtio-net-pci,guestfwd=tcp:{ImageBuildFixture.PxeServerIp}:80-tcp:127.0.0.1:{server.Port}",
            "-serial", "file:" + serial);
        var log = File.Exists(serial) ? await File.ReadAllTextAsync(serial) : "";
        Assert.True(code == 0, $"QEMU exited {code} (124 = time limit): {output}\n--- serial tail ---\n{QemuVm.Tail(log)}");
        return (log, target, server.Requests.ToList());
    }
}
