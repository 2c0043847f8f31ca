using System.Security.Cryptography;
using KubeOS.Agent.Tests.Support;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Loop;

/// <summary>Upgrades on a dm-verity disk (HASH-A/HASH-B partitions) on a loop device; needs root, loop devices and veritysetup.</summary>
public sealed class LoopVerityTests
{
    private static UpgradeRequest Request(string url, byte[] payload) => new()
    {
        Version = "KubeOS v2",
        ImageType = ImageTypes.Disk,
        ImageUrl = url,
        CheckSum = Convert.ToHexStringLower(SHA256.HashData(payload)),
        FlagSafe = true,
    };

    private static string RootHashOfEntry(string grubCfg, int ordinal) =>
        File.ReadAllLines(grubCfg).Where(l => l.TrimStart().StartsWith("linux ", StringComparison.Ordinal)).ElementAt(ordinal)
            .Split(' ').Single(t => t.StartsWith("roothash=", StringComparison.Ordinal))["roothash=".Length..];

    [Fact]
    public async Task Loop_VerityDisk_UpgradeWritesHashTreeOfRootB_AndRecordsItsRootHashOnEntryB()
    {
        using var disk = new LoopDisk(verity: true);
        var image = RootTree.Ext4Image(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2", fillerBytes: 1 << 20), "ROOT-A", 24L << 20);
        using var http = new TestHttpServer(image);
        await using var agent = new InProcessAgent(disk.System);
        var hashA = disk.PartitionSha(6);
        var grubBefore = File.ReadAllLines(disk.GrubCfg);

        var prepared = await agent.Client.PrepareUpgradeAsync(Request(http.Url, image), TestContext.Current.CancellationToken);

        Assert.Equal(AgentStatus.UpgradeReady, prepared.Status);
        var rootHashB = RootHashOfEntry(disk.GrubCfg, 1);
        Assert.Matches("^[0-9a-f]{64}$", rootHashB);
        Assert.Contains(prepared.Changes!, c => c.Contains(rootHashB, StringComparison.Ordinal));
        var verify = Shell.TryRun("veritysetup", "verify", disk.Partition(3), disk.Partition(7), rootHashB);
        Assert.True(verify.Code == 0, verify.Stderr + verify.Stdout);
        // Only entry B's root hash changed; A's root, hash tree and entry are as they were.
        Assert.Equal(disk.RootHashA, RootHashOfEntry(disk.GrubCfg, 0));
        var grubAfter = File.ReadAllLines(disk.GrubCfg);
        Assert.Equal(grubBefore.Length, grubAfter.Length);
        Assert.Single(Enumerable.Range(0, grubAfter.Length), i => grubBefore[i] != grubAfter[i]);
        Assert.Equal(hashA, disk.PartitionSha(6));
        Assert.Equal(0, Shell.TryRun("veritysetup", "verify", disk.Partition(2), disk.Partition(6), disk.RootHashA).Code);

        Assert.Equal(AgentStatus.Upgraded, (await agent.Client.UpgradeAsync(TestContext.Current.CancellationToken)).Status);
        Assert.Contains("next_entry=B", disk.GrubEnvList());

        // Running on B (through /dev/mapper/root), rollback verifies A against entry A's root hash and arms it.
        disk.BootFrom(3);
        Assert.Equal("B", (await agent.Client.StatusAsync(TestContext.Current.CancellationToken)).Active.Name);
        Assert.Equal(AgentStatus.Rollbacked, (await agent.Client.RollbackAsync(TestContext.Current.CancellationToken)).Status);
        Assert.Contains("next_entry=A", disk.GrubEnvList());
    }

    [Fact]
    public async Task Loop_VerityDisk_FlippedByteInRootB_FailsVerify_AndUpgradeRefusesToArmIt()
    {
        using var disk = new LoopDisk(verity: true);
        var image = RootTree.Ext4Image(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2", fillerBytes: 1 << 20), "ROOT-A", 16L << 20);
        using var http = new TestHttpServer(image);
        await using var agent = new InProcessAgent(disk.System);
        await agent.Client.PrepareUpgradeAsync(Request(http.Url, image), TestContext.Current.CancellationToken);
        var rootHashB = RootHashOfEntry(disk.GrubCfg, 1);
        var grubEnv = disk.GrubEnvList();

        await using (var device = new FileStream(disk.Partition(3), FileMode.Open, FileAccess.ReadWrite))
        {
            device.Position = 4096 * 1000 + 17;
            var b = device.ReadByte();
            device.Position = 4096 * 1000 + 17;
            device.WriteByte((byte)(b ^ 0xff));
            device.Flush(flushToDisk: true);
        }

        Assert.NotEqual(0, Shell.TryRun("veritysetup", "verify", disk.Partition(3), disk.Partition(7), rootHashB).Code);
        var error = await Assert.ThrowsAsync<AgentException>(() => agent.Client.UpgradeAsync(TestContext.Current.CancellationToken));
        Assert.Contains("does not match the dm-verity root hash of entry B", error.Message);
        Assert.Equal(grubEnv, disk.GrubEnvList());
        Assert.False(File.Exists(disk.RebootMarker));
    }

    [Fact]
    public async Task Loop_VerityDisk_EntryBWithoutRootHash_RefusesBeforeWriting()
    {
        using var disk = new LoopDisk(verity: true);
        File.WriteAllText(disk.GrubCfg, File.ReadAllText(disk.GrubCfg).Replace("roothash=unset", ""));
        var image = RootTree.Ext4Image(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2"), "ROOT-A", 8L << 20);
        using var http = new TestHttpServer(image);
        await using var agent = new InProcessAgent(disk.System);
        var rootB = disk.PartitionSha(3);

        var error = await Assert.ThrowsAsync<AgentException>(() => agent.Client.PrepareUpgradeAsync(Request(http.Url, image), TestContext.Current.CancellationToken));

        Assert.Contains("entry B", error.Message);
        Assert.Contains("roothash=", error.Message);
        Assert.Equal(rootB, disk.PartitionSha(3));
    }

    [Fact]
    public async Task Loop_PlainDisk_UpgradeLeavesGrubCfgAlone()
    {
        using var disk = new LoopDisk();
        var grubCfg = ImageGrubCfg.Render("unset", "unset").Replace("root=/dev/mapper/root", "root=PARTLABEL=ROOT-X");
        File.WriteAllText(disk.GrubCfg, grubCfg);
        var image = RootTree.Ext4Image(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2"), "ROOT-A", 8L << 20);
        using var http = new TestHttpServer(image);
        await using var agent = new InProcessAgent(disk.System);

        var prepared = await agent.Client.PrepareUpgradeAsync(Request(http.Url, image), TestContext.Current.CancellationToken);

        Assert.Equal(AgentStatus.UpgradeReady, prepared.Status);
        Assert.DoesNotContain(prepared.Changes!, c => c.Contains("dm-verity", StringComparison.Ordinal));
        Assert.Equal(grubCfg, File.ReadAllText(disk.GrubCfg));
        Assert.Equal(AgentStatus.Upgraded, (await agent.Client.UpgradeAsync(TestContext.Current.CancellationToken)).Status);
    }
}
