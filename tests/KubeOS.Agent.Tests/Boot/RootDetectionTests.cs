using KubeOS.Api.Agent;
using KubeOS.Agent.Disk;
using KubeOS.Agent.Images;

namespace KubeOS.Agent.Tests.Boot;

public sealed class RootDetectionTests
{
    [Theory]
    [InlineData("BOOT_IMAGE=/boot/vmlinuz root=PARTUUID=1234-ab ro quiet", "PARTUUID=1234-ab")]
    [InlineData("root=/dev/vda2 root=/dev/vda3 ro", "/dev/vda3")]
    [InlineData("quiet splash", null)]
    [InlineData("quiet -- root=/dev/sda9", null)]
    [InlineData("root=/dev/mapper/root systemd.verity_root_data=PARTLABEL=ROOT-B systemd.verity_root_hash=PARTLABEL=HASH-B roothash=ab ro", "PARTLABEL=ROOT-B")]
    public void RootSpec_IsTheLastRootBeforeInitArguments(string cmdline, string? expected) =>
        Assert.Equal(expected, RootPartitionResolver.RootSpecFromCmdline(cmdline));

    [Fact]
    public void MountInfo_GivesTheDeviceNumberOfTheVisibleRoot()
    {
        string[] lines =
        [
            "22 1 253:2 / / ro,relatime shared:1 - ext4 /dev/vda2 ro",
            "23 22 0:21 / /proc rw - proc proc rw",
            "40 22 253:4 /etc /etc rw - ext4 /dev/vda4 rw",
        ];
        Assert.Equal("253:2", RootPartitionResolver.RootDevNumberFromMountInfo(lines));
    }

    [Theory]
    [InlineData("PRETTY_NAME=\"KubeOS 1.0.8\"", "KubeOS 1.0.8")]
    [InlineData("PRETTY_NAME='openEuler 24.03 (LTS)'", "openEuler 24.03 (LTS)")]
    [InlineData("PRETTY_NAME=Plain", "Plain")]
    public void OsRelease_PrettyName_IsWhatKubernetesReportsAsOsImage(string line, string expected) =>
        Assert.Equal(expected, RootInspector.PrettyName(["NAME=x", line]));

    [Fact]
    public void Payload_TarAndGzipAndExt4_AreTold()
    {
        var tar = new byte[1024];
        "ustar"u8.CopyTo(tar.AsSpan(257));
        var ext4 = new byte[2048];
        ext4[1080] = 0x53;
        ext4[1081] = 0xEF;

        Assert.Equal(PayloadKind.Tar, PayloadDetector.Detect(tar));
        Assert.Equal(PayloadKind.TarGzip, PayloadDetector.Detect([0x1f, 0x8b, 8, 0]));
        Assert.Equal(PayloadKind.Raw, PayloadDetector.Detect(ext4));
        Assert.True(PayloadDetector.IsExtFilesystem(ext4));
        Assert.False(PayloadDetector.IsExtFilesystem(tar));
    }

    [Theory]
    [InlineData("", "check_sum")]
    [InlineData("abc", "64 hex digits")]
    public void Checksum_MustBeASha256(string checkSum, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => UpgradeRequestChecks.NormalizeChecksum(checkSum));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Checksum_IsNormalisedToLowercase_WithOrWithoutPrefix()
    {
        var upper = new string('A', 64);
        Assert.Equal(new string('a', 64), UpgradeRequestChecks.NormalizeChecksum("sha256:" + upper));
    }
}
