using KubeOS.ImageBuilder.Oci;

namespace KubeOS.ImageBuilder.Tests.Oci;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("127.0.0.1:5000/kubeos/os:1.0.0", "127.0.0.1:5000", "kubeos/os", "1.0.0")]
    [InlineData("registry.local/os", "registry.local", "os", "latest")]
    public void Parses_host_repository_and_tag(string text, string registry, string repository, string tag)
    {
        Assert.True(ImageReference.TryParse(text, out var r, out _));
        Assert.Equal(new ImageReference(registry, repository, tag), r);
    }

    [Theory]
    [InlineData("os:1.0", "no registry host")]
    [InlineData("127.0.0.1:5000/KubeOS/os:1", "lowercase")]
    [InlineData("127.0.0.1:5000/os:bad tag", "tag")]
    public void Rejects_with_the_reason(string text, string reason)
    {
        Assert.False(ImageReference.TryParse(text, out _, out var problem));
        Assert.Contains(reason, problem);
    }
}
