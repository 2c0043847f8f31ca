using System.Text.Json;
using KubeOS.ImageBuilder.Tests.Support;

namespace KubeOS.ImageBuilder.Tests.Integration;

/// <summary>Upgrade payloads: root ext4 image, rootfs tar and the OCI image holding /os.tar, pushed to a real registry.</summary>
public sealed class UpgradeImageTests(ImageBuildFixture fixture)
{
    [Fact]
    public async Task Root_image_is_ext4_with_version_2_and_a_matching_checksum()
    {
        var result = await fixture.UpgradeAsync();
        var root = result.Find(ImageArtifactKind.RootImage)!;
        Assert.Equal(600L * 1024 * 1024, root.SizeBytes);
        Assert.Equal(await Sha256File.ComputeAsync(root.Path), root.Sha256);
        var osRelease = await HostProcess.CheckedAsync("debugfs", "-R", "cat /usr/lib/os-release", root.Path);
        Assert.Contains("PRETTY_NAME=\"KubeOS 2.0.0\"", osRelease);
        Assert.Contains("TYPE=ext4", await HostProcess.CheckedAsync("blkid", "-p", "-o", "export", root.Path));
    }

    [Fact]
    public async Task Rootfs_tar_holds_the_root_with_agent_and_kernel()
    {
        var result = await fixture.UpgradeAsync();
        var tar = result.Find(ImageArtifactKind.RootfsTar)!;
        var listing = await HostProcess.CheckedAsync("tar", "-tvf", tar.Path);
        Assert.Contains("./usr/bin/os-agent", listing);
        Assert.Contains("./boot/vmlinuz", listing);
        Assert.Contains("./usr/lib/os-release", listing);
        Assert.Equal(await Sha256File.ComputeAsync(tar.Path), tar.Sha256);
    }

    [Fact]
    public async Task Oci_layout_is_valid_for_skopeo_and_umoci()
    {
        var result = await fixture.UpgradeAsync();
        var layout = result.Find(ImageArtifactKind.OciLayout)!.Path;
        var inspect = await HostProcess.CheckedAsync("skopeo", "inspect", $"oci:{layout}:2.0.0");
        var json = JsonDocument.Parse(inspect).RootElement;
        Assert.Equal(result.ManifestDigest, json.GetProperty("Digest").GetString());
        Assert.Single(json.GetProperty("Layers").EnumerateArray());
        // umoci checks every blob digest and diff_id while unpacking the layer.
        var bundle = Path.Combine(fixture.RunDirectory, "umoci-bundle");
        await HostProcess.CheckedAsync("umoci", "raw", "unpack", "--rootless", "--image", $"{layout}:2.0.0", bundle);
        var unpacked = Path.Combine(bundle, "os.tar");
        Assert.Equal(result.Find(ImageArtifactKind.RootfsTar)!.Sha256, await Sha256File.ComputeAsync(unpacked));
    }

    [Fact]
    public async Task Second_build_reuses_the_cached_rootfs()
    {
        await fixture.VmAsync();
        var upgrade = await fixture.UpgradeAsync();
        Assert.True(upgrade.RootfsFromCache);
        Assert.True(upgrade.RootfsBytes > 100L * 1024 * 1024);
    }

    [Fact]
    public async Task Push_to_a_registry_and_pull_back_gives_the_same_digest()
    {
        await fixture.UpgradeAsync(); // warms the cache so the pushed build only customizes
        await using var registry = await LocalRegistry.StartAsync(fixture.RunDirectory);
        var target = $"{registry.Address}/kubeos/os:2.0.1";
        var pushed = await fixture.BuildOnceAsync("pushed", () =>
            fixture.Options("pushed", ImageType.Upgrade, fixture.Toml("2.0.1"), push: target));
        Assert.Equal(target, pushed.PushedReference);

        var remote = await HostProcess.CheckedAsync("skopeo", "inspect", "--tls-verify=false", $"docker://{target}");
        Assert.Equal(pushed.ManifestDigest, JsonDocument.Parse(remote).RootElement.GetProperty("Digest").GetString());
        var pulled = Path.Combine(fixture.RunDirectory, "pulled");
        await HostProcess.CheckedAsync("skopeo", "copy", "--src-tls-verify=false", $"docker://{target}", $"oci:{pulled}:x");
        var local = await HostProcess.CheckedAsync("skopeo", "inspect", $"oci:{pulled}:x");
        Assert.Equal(pushed.ManifestDigest, JsonDocument.Parse(local).RootElement.GetProperty("Digest").GetString());
    }
}
