using KubeOS.Agent.Boot;
using KubeOS.Agent.Tests.Support;
using KubeOS.Agent.Verity;

namespace KubeOS.Agent.Tests.Verity;

public sealed class VerityLayoutTests
{
    [Fact]
    public void PartLabels_AreReadPerDevice_FromBlkidExport()
    {
        const string export = "DEVNAME=/dev/vda2\nLABEL=ROOT-A\nPARTLABEL=ROOT-A\n\nDEVNAME=/dev/vda6\nPARTLABEL=HASH-A\n\nDEVNAME=/dev/vda7\nTYPE=verity\nPARTLABEL=HASH-B\n";
        var labels = VerityLayout.ParsePartLabels(export);
        Assert.Equal("/dev/vda6", labels["HASH-A"]);
        Assert.Equal("/dev/vda7", labels["HASH-B"]);
        Assert.Equal("/dev/vda2", labels["ROOT-A"]);
    }

    [Fact]
    public void DuplicateHashLabel_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            VerityLayout.ParsePartLabels("DEVNAME=/dev/vda6\nPARTLABEL=HASH-B\n\nDEVNAME=/dev/vda7\nPARTLABEL=HASH-B\n"));
        Assert.Contains("HASH-B", error.Message);
    }

    [Fact]
    public async Task GrubCfgRootHash_ReplacesOnlyTheEntrysValue()
    {
        var path = Path.Combine(Path.GetTempPath(), "kubeos-grubcfg-" + Guid.NewGuid().ToString("n")[..8]);
        var hashA = new string('a', 64);
        var hashB = new string('b', 64);
        await File.WriteAllTextAsync(path, ImageGrubCfg.Render(hashA, "unset"), TestContext.Current.CancellationToken);
        try
        {
            Assert.Equal("unset", GrubCfgRootHash.Read(path, "B"));
            Assert.Equal("unset", await GrubCfgRootHash.WriteAsync(path, "B", hashB));
            Assert.Equal(hashB, GrubCfgRootHash.Read(path, "B"));
            Assert.Equal(hashA, GrubCfgRootHash.Read(path, "A"));
            Assert.Equal(ImageGrubCfg.Render(hashA, hashB), await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
            await Assert.ThrowsAsync<ArgumentException>(() => GrubCfgRootHash.WriteAsync(path, "B", "not-a-hash"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
