using System.Text.Json;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Integration;

/// <summary>The dm-verity variant: hash tree on HASH-A, root hash on the kernel command line.</summary>
public sealed class VerityImageTests(ImageBuildFixture fixture)
{
    private async Task<string> ExtractAsync(string disk, JsonElement[] parts, int number, string name)
    {
        var p = parts.Single(x => x.GetProperty("node").GetString() == disk + number);
        var target = Path.Combine(fixture.RunDirectory, name);
        await HostProcess.CheckedAsync("dd", $"if={disk}", $"of={target}", "bs=512", $"skip={p.GetProperty("start").GetInt64()}",
            $"count={p.GetProperty("size").GetInt64()}", "status=none");
        return target;
    }

    [Fact]
    public async Task Verify_passes_on_the_image_and_fails_after_one_flipped_byte()
    {
        var result = await fixture.VerityAsync();
        Assert.Matches("^[0-9a-f]{64}$", result.VerityRootHash);
        var disk = result.Find(ImageArtifactKind.RawDisk)!.Path;
        var parts = JsonDocument.Parse(await HostProcess.CheckedAsync("sfdisk", "-J", disk)).RootElement
            .GetProperty("partitiontable").GetProperty("partitions").EnumerateArray().ToArray();
        Assert.Contains(parts, p => p.GetProperty("name").GetString() == "HASH-A");
        Assert.Contains(parts, p => p.GetProperty("name").GetString() == "HASH-B");

        var root = await ExtractAsync(disk, parts, 2, "verity-root.img");
        var hash = await ExtractAsync(disk, parts, 6, "verity-hash.img");
        var ok = await HostProcess.RunAsync("veritysetup", "verify", root, hash, result.VerityRootHash!);
        Assert.True(ok.ExitCode == 0, ok.Output);

        await using (var f = new FileStream(root, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = 4096 * 300 + 17;
            var b = f.ReadByte();
            f.Position = 4096 * 300 + 17;
            f.WriteByte((byte)(b ^ 0xff));
        }
        var bad = await HostProcess.RunAsync("veritysetup", "verify", root, hash, result.VerityRootHash!);
        Assert.NotEqual(0, bad.ExitCode);
    }

    [Fact]
    public async Task Grub_config_carries_the_root_hash()
    {
        var result = await fixture.VerityAsync();
        var disk = result.Find(ImageArtifactKind.RawDisk)!.Path;
        var parts = JsonDocument.Parse(await HostProcess.CheckedAsync("sfdisk", "-J", disk)).RootElement
            .GetProperty("partitiontable").GetProperty("partitions").EnumerateArray().ToArray();
        var esp = parts.Single(p => p.GetProperty("name").GetString() == "BOOT").GetProperty("start").GetInt64() * 512;
        var local = Path.Combine(fixture.RunDirectory, "verity-grub.cfg");
        await HostProcess.CheckedAsync("mcopy", "-o", "-i", $"{disk}@@{esp}", "::EFI/openEuler/grub.cfg", local);
        var cfg = await File.ReadAllTextAsync(local);
        Assert.Contains($"roothash={result.VerityRootHash}", cfg);
        Assert.Contains("systemd.verity_root_hash=PARTLABEL=HASH-A", cfg);
    }

    [Fact]
    public async Task Verity_upgrade_image_ships_a_hash_tree_that_verifies_its_root()
    {
        var result = await fixture.VerityUpgradeAsync();
        var root = result.Find(ImageArtifactKind.RootImage)!.Path;
        var hash = result.Find(ImageArtifactKind.VerityHashTree)!;
        Assert.Equal(await Sha256File.ComputeAsync(hash.Path), hash.Sha256);
        Assert.Matches("^[0-9a-f]{64}$", result.VerityRootHash);
        var ok = await HostProcess.RunAsync("veritysetup", "verify", root, hash.Path, result.VerityRootHash!);
        Assert.True(ok.ExitCode == 0, ok.Output);
    }

    [Fact]
    public async Task Verity_roots_carry_veritysetup_for_the_agent()
    {
        var result = await fixture.VerityUpgradeAsync();
        var listing = await HostProcess.CheckedAsync("tar", "-tf", result.Find(ImageArtifactKind.RootfsTar)!.Path);
        Assert.Contains(listing.Split('\n'), entry => entry.TrimStart('.', '/') is "usr/sbin/veritysetup" or "sbin/veritysetup");
    }
}
