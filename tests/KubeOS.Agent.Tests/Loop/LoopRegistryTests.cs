using System.Text;
using KubeOS.Agent.Images.Oci;
using KubeOS.Agent.Tests.Support;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Loop;

/// <summary>imagetype containerd/docker pulled natively from docker-registry on 127.0.0.1 (needs root and loop devices).</summary>
public sealed class LoopRegistryTests
{
    private static async Task<(string IndexDigest, string Image)> PushMultiArchImage(TestRegistry registry, byte[] osTar, byte[] otherArchTar)
    {
        const string repository = "kubeos/os";
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var configDigest = await registry.PushBlobAsync(repository, config);
        var manifests = new List<(string, int, string)>();
        foreach (var (tar, arch) in new[] { (otherArchTar, "arm64"), (osTar, "amd64") })
        {
            var layer = OsTarImage.Layer(tar);
            var layerDigest = await registry.PushBlobAsync(repository, layer);
            var manifest = OsTarImage.Manifest(configDigest, config.Length, layerDigest, layer.Length);
            manifests.Add((await registry.PushManifestAsync(repository, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifest)),
                "application/vnd.oci.image.manifest.v1+json", manifest), manifest.Length, arch));
        }
        var index = OsTarImage.Index([.. manifests]);
        var indexDigest = await registry.PushManifestAsync(repository, "v2", "application/vnd.oci.image.index.v1+json", index);
        return (indexDigest, $"{registry.Host}/{repository}:v2");
    }

    [Fact]
    public async Task Loop_ContainerdImage_PulledWithTokenAuth_PicksThisPlatform_AndStreamsOsTarToStandby()
    {
        using var disk = new LoopDisk();
        using var registry = new TestRegistry(disk.Dir);
        var osTar = RootTree.Tar(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2", fillerBytes: 1 << 20));
        var armTar = RootTree.Tar(RootTree.Create(Path.Combine(disk.Dir, "arm"), "KubeOS v2 arm64"));
        var (digest, image) = await PushMultiArchImage(registry, osTar, armTar);
        await using var agent = new InProcessAgent(disk.System);
        var persist = disk.PartitionSha(4);

        var response = await agent.Client.PrepareUpgradeAsync(new UpgradeRequest
        {
            Version = "KubeOS v2", ImageType = ImageTypes.Containerd, ContainerImage = image, CheckSum = digest["sha256:".Length..], FlagSafe = true,
        }, TestContext.Current.CancellationToken);

        Assert.Equal(AgentStatus.UpgradeReady, response.Status);
        Assert.True(registry.TokensIssued > 0);
        Assert.Equal("ROOT-B", disk.Blkid(3, "LABEL"));
        Assert.Equal("kernel of KubeOS v2", disk.ReadFiles(3, m => File.ReadAllText(Path.Combine(m, "boot", "vmlinuz"))));
        Assert.Equal(persist, disk.PartitionSha(4));
        Assert.DoesNotContain("next_entry", disk.GrubEnvList());
    }

    [Fact]
    public async Task Loop_DockerImage_SinglePlatformManifest_AddressedByDigest_IsStaged()
    {
        using var disk = new LoopDisk();
        using var registry = new TestRegistry(disk.Dir);
        const string repository = "kubeos/single";
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var configDigest = await registry.PushBlobAsync(repository, config);
        var layer = OsTarImage.Layer(RootTree.Tar(RootTree.Create(Path.Combine(disk.Dir, "v5"), "KubeOS v5")));
        var layerDigest = await registry.PushBlobAsync(repository, layer);
        var manifest = OsTarImage.Manifest(configDigest, config.Length, layerDigest, layer.Length);
        var digest = await registry.PushManifestAsync(repository, "v5", "application/vnd.oci.image.manifest.v1+json", manifest);
        await using var agent = new InProcessAgent(disk.System);

        var response = await agent.Client.PrepareUpgradeAsync(new UpgradeRequest
        {
            Version = "KubeOS v5", ImageType = ImageTypes.Docker, ContainerImage = $"{registry.Host}/{repository}@{digest}",
            CheckSum = digest["sha256:".Length..].ToUpperInvariant(), FlagSafe = true,
        }, TestContext.Current.CancellationToken);

        Assert.Equal(AgentStatus.UpgradeReady, response.Status);
        var status = await agent.Client.StatusAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("KubeOS v5", ImageTypes.Docker), (status.Inactive.Version, status.Staged?.ImageType));
    }

    [Fact]
    public async Task Loop_DockerImage_WithAnotherDigest_IsRefusedBeforeWriting()
    {
        using var disk = new LoopDisk();
        using var registry = new TestRegistry(disk.Dir);
        var osTar = RootTree.Tar(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2"));
        var (digest, image) = await PushMultiArchImage(registry, osTar, osTar);
        await using var agent = new InProcessAgent(disk.System);
        var grub = File.ReadAllBytes(disk.GrubEnv);

        var error = await Assert.ThrowsAsync<AgentException>(() => agent.Client.PrepareUpgradeAsync(new UpgradeRequest
        {
            Version = "KubeOS v2", ImageType = ImageTypes.Docker, ContainerImage = image, CheckSum = new string('1', 64), FlagSafe = true,
        }, TestContext.Current.CancellationToken));

        Assert.Contains($"the registry serves digest {digest}", error.Message);
        Assert.Equal("", disk.Blkid(3, "TYPE"));
        Assert.Equal(grub, File.ReadAllBytes(disk.GrubEnv));
    }
}

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("127.0.0.1:5000/kubeos/os:v2", "127.0.0.1:5000", "kubeos/os", "v2")]
    [InlineData("registry.example.com/os", "registry.example.com", "os", "latest")]
    [InlineData("kubeos/os:1.0", "registry-1.docker.io", "kubeos/os", "1.0")]
    [InlineData("busybox", "registry-1.docker.io", "library/busybox", "latest")]
    [InlineData("localhost/os:v1", "localhost", "os", "v1")]
    public void Parse_SplitsRegistryRepositoryAndTag(string image, string registry, string repository, string reference)
    {
        var parsed = ImageReference.Parse(image);
        Assert.Equal((registry, repository, reference), (parsed.Registry, parsed.Repository, parsed.Reference));
    }

    [Fact]
    public void Parse_DigestAddressesTheManifest()
    {
        var digest = "sha256:" + new string('a', 64);
        Assert.Equal(digest, ImageReference.Parse("reg.local:5000/os:v2@" + digest).Reference);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER CASE/os")]
    [InlineData("os@sha256:short")]
    public void Parse_RejectsMalformed(string image) =>
        Assert.Contains("container_image", Assert.Throws<ArgumentException>(() => ImageReference.Parse(image)).Message);
}
