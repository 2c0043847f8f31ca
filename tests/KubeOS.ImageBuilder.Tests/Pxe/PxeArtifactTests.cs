using System.Text.Json;
using KubeOS.ImageBuilder.Pxe;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Pxe;

/// <summary>The PXE outputs checked with file, cpio, sfdisk and a chroot into the unpacked initramfs.</summary>
public sealed partial class PxeArtifactTests(ImageBuildFixture fixture)
{
    private static readonly SemaphoreSlim UnpackGate = new(1, 1);

    [Fact]
    public async Task Kernel_initramfs_and_root_image_have_the_right_formats_and_checksums()
    {
        var result = await fixture.PxeAsync();
        var kernel = result.Find(ImageArtifactKind.Kernel)!;
        var initramfs = result.Find(ImageArtifactKind.Initramfs)!;
        var root = result.Find(ImageArtifactKind.RootImage)!;
        Assert.Equal("vmlinuz", Path.GetFileName(kernel.Path));
        Assert.Equal("rootfs.img", Path.GetFileName(root.Path));
        Assert.Contains("Linux kernel x86 boot executable bzImage", await HostProcess.CheckedAsync("file", "-b", kernel.Path));
        Assert.Contains("gzip compressed data", await HostProcess.CheckedAsync("file", "-b", initramfs.Path));
        Assert.Contains("ext4 filesystem data", await HostProcess.CheckedAsync("file", "-b", root.Path));
        Assert.Contains("LABEL=ROOT-A", await HostProcess.CheckedAsync("blkid", "-p", "-o", "export", root.Path));
        Assert.Equal(600L * 1024 * 1024, root.SizeBytes);
        foreach (var artifact in new[] { kernel, initramfs, root })
        {
            Assert.Equal(await Sha256File.ComputeAsync(artifact.Path), artifact.Sha256);
            Assert.Equal($"{artifact.Sha256}  {Path.GetFileName(artifact.Path)}\n", await File.ReadAllTextAsync(artifact.Path + ".sha256"));
        }
    }

    [Fact]
    public async Task Cpio_listing_holds_the_init_script_and_every_tool_it_calls()
    {
        var initramfs = (await fixture.PxeAsync()).Find(ImageArtifactKind.Initramfs)!.Path;
        var listing = (await HostProcess.CheckedAsync("bash", "-c", "gzip -dc \"$0\" | cpio -t --quiet", initramfs))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        foreach (var path in new[] { "init", "bin/busybox", "sbin/sfdisk", "sbin/mke2fs", "sbin/mkfs.ext4", "lib64/ld-linux-x86-64.so.2",
                     "kubeos/pxe.conf", "kubeos/partitions.sfdisk", "kubeos/esp.img.gz", "kubeos/persist.tar", "kubeos/modules",
                     "kubeos/udhcpc.script", "kubeos/bios/core.img", "kubeos/bios/mbr.bin" })
            Assert.True(listing.Contains(path), $"{path} is missing from the initramfs");
        foreach (var applet in InitramfsAssembler.BusyboxApplets)
            Assert.True(listing.Contains("bin/" + applet), $"busybox applet {applet} has no link");
        Assert.Contains(listing, p => p.EndsWith("/virtio_blk.ko", StringComparison.Ordinal));
        Assert.Contains(listing, p => p.EndsWith("/virtio_net.ko", StringComparison.Ordinal));

        // Every command the scripts run is either a shell builtin or in the archive.
        var root = await UnpackAsync();
        var builtins = new HashSet<string> { "export", "exec", "set", "esac", "done", "fi", "read", "eval", "break", "continue", "exit",
            "true", "[", ".", "echo", "say", "fail" };
        var called = new List<string>();
        foreach (var script in new[] { "init", "kubeos/udhcpc.script" })
        {
            await HostProcess.CheckedAsync("sh", "-n", Path.Combine(root, script));
            foreach (var command in CommandsOf(await File.ReadAllTextAsync(Path.Combine(root, script))).Where(c => !builtins.Contains(c)))
            {
                called.Add(Path.GetFileName(command));
                var present = command.StartsWith('/') ? listing.Contains(command[1..]) : listing.Contains("bin/" + command);
                Assert.True(present, $"{script} calls {command}, which the initramfs lacks");
            }
        }
        // The parse found the real work, so the check above checked something.
        Assert.Superset(new HashSet<string> { "wget", "sha256sum", "sfdisk", "mke2fs", "udhcpc", "insmod", "ifconfig", "route", "reboot" }.ToHashSet(),
            called.ToHashSet());
    }

    [Fact]
    public async Task Installer_tools_run_from_the_unpacked_initramfs()
    {
        var root = await UnpackAsync();
        Assert.Contains("sfdisk from util-linux", await HostProcess.CheckedAsync("chroot", root, "/sbin/sfdisk", "--version"));
        Assert.Contains("mke2fs", await HostProcess.CheckedAsync("chroot", root, "/sbin/mke2fs", "-V"));
        Assert.Contains("BusyBox", await HostProcess.CheckedAsync("chroot", root, "/bin/wget", "--help"));
        Assert.Contains("udhcpc", await HostProcess.CheckedAsync("chroot", root, "/bin/udhcpc", "--help"));
    }

    [Fact]
    public async Task Settings_carry_pxe_config_and_the_root_image_checksum()
    {
        var result = await fixture.PxeAsync();
        var conf = await File.ReadAllTextAsync(Path.Combine(await UnpackAsync(), "kubeos/pxe.conf"));
        Assert.Contains($"rootfs_sha256='{result.Find(ImageArtifactKind.RootImage)!.Sha256}'", conf);
        Assert.Contains("rootfs_name='rootfs.img'", conf);
        Assert.Contains("disk='/dev/vda'", conf);
        Assert.Contains($"server_ip='{ImageBuildFixture.PxeServerIp}'", conf);
        Assert.Contains("dhcp='false'", conf);
        Assert.Contains("net_name='eth0'", conf);
        Assert.Contains("version='1.0.0'", conf);
    }

    [Fact]
    public async Task Partition_script_gives_the_vm_layout_with_persist_to_the_end_of_any_disk()
    {
        var script = Path.Combine(await UnpackAsync(), "kubeos/partitions.sfdisk");
        var disk = Path.Combine(fixture.RunDirectory, "pxe-layout.img");
        await using (var f = new FileStream(disk, FileMode.Create)) f.SetLength(5L * 1024 * 1024 * 1024);
        await HostProcess.CheckedAsync("bash", "-c", "sfdisk --quiet --no-reread --no-tell-kernel \"$0\" < \"$1\"", disk, script);
        var parts = JsonDocument.Parse(await HostProcess.CheckedAsync("sfdisk", "-J", disk)).RootElement
            .GetProperty("partitiontable").GetProperty("partitions").EnumerateArray()
            .ToDictionary(p => p.GetProperty("node").GetString()![disk.Length..], p => p);
        Assert.Equal("BOOT", parts["1"].GetProperty("name").GetString());
        Assert.Equal("ROOT-A", parts["2"].GetProperty("name").GetString());
        Assert.Equal("ROOT-B", parts["3"].GetProperty("name").GetString());
        Assert.Equal("PERSIST", parts["4"].GetProperty("name").GetString());
        Assert.Equal("BIOS", parts["5"].GetProperty("name").GetString());
        Assert.Equal(600 * 2048, parts["2"].GetProperty("size").GetInt64());
        // PERSIST ends just before the backup GPT (33 sectors) at the end of this 5 GiB disk.
        var persistEnd = parts["4"].GetProperty("start").GetInt64() + parts["4"].GetProperty("size").GetInt64();
        Assert.InRange(5L * 1024 * 1024 * 2 - persistEnd, 33, 2048);
        File.Delete(disk);
    }

    /// <summary>
    /// Command words of a shell script: the first word of each simple command after case labels and the keywords
    /// that can precede a command (enough for the installer's plain scripts).
    /// </summary>
    internal static IEnumerable<string> CommandsOf(string script)
    {
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            line = Quoted().Replace(line, "\"\"");
            var label = CaseLabel().Match(line);
            if (label.Success) line = line[label.Length..];
            foreach (var piece in line.Split(["&&", "||", "|", ";", "{", "}", "$("], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var words = piece.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
                while (words.Count > 0 && words[0] is "if" or "then" or "else" or "elif" or "do" or "while" or "!") words.RemoveAt(0);
                if (words.Count == 0 || words[0] is "for" or "case") continue;
                if (CommandWord().IsMatch(words[0])) yield return words[0];
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[^""'()$=]*\)")]
    private static partial System.Text.RegularExpressions.Regex CaseLabel();

    [System.Text.RegularExpressions.GeneratedRegex(@"""[^""]*""|'[^']*'")]
    private static partial System.Text.RegularExpressions.Regex Quoted();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(/?[a-z_][a-z0-9_./-]*|\[|\.)$")]
    private static partial System.Text.RegularExpressions.Regex CommandWord();

    private async Task<string> UnpackAsync()
    {
        var initramfs = (await fixture.PxeAsync()).Find(ImageArtifactKind.Initramfs)!.Path;
        var root = Path.Combine(fixture.RunDirectory, "pxe-initramfs");
        await UnpackGate.WaitAsync();
        try
        {
            if (!Directory.Exists(root))
            {
                Directory.CreateDirectory(root);
                await HostProcess.CheckedAsync("bash", "-c", "cd \"$1\" && gzip -dc \"$0\" | cpio -idm --quiet", initramfs, root);
            }
        }
        finally
        {
            UnpackGate.Release();
        }
        return root;
    }
}
