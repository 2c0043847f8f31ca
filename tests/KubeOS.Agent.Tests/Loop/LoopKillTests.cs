using System.Security.Cryptography;
using KubeOS.Agent.Tests.Support;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Loop;

/// <summary>os-agent killed with SIGKILL in the middle of writing the standby partition (needs root and loop devices).</summary>
public sealed class LoopKillTests
{
    [Fact]
    public async Task Loop_KillNineDuringWrite_LeavesBootTargetAndRoot_AndRestartDiscardsThePartialRoot()
    {
        using var disk = new LoopDisk();
        var image = RootTree.Ext4Image(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2", fillerBytes: 12 << 20), "ROOT-B", 24L << 20);
        using var http = new TestHttpServer(image, ServeMode.Full, bytesPerSecond: 6 << 20);
        var grub = File.ReadAllBytes(disk.GrubEnv);
        var rootA = disk.PartitionSha(2);
        var persist = disk.PartitionSha(4);
        var request = new UpgradeRequest
        {
            Version = "KubeOS v2", ImageType = ImageTypes.Disk, ImageUrl = http.Url, FlagSafe = true,
            CheckSum = Convert.ToHexStringLower(SHA256.HashData(image)),
        };

        using (var agent = new AgentProcess(disk))
        {
            var prepare = agent.Client.PrepareUpgradeAsync(request, TestContext.Current.CancellationToken);
            await LoopUpgradeTests.WaitFor(() => Interlocked.Read(ref http.BytesSent) > 8 << 20);
            agent.KillHard();
            var lost = await Assert.ThrowsAsync<AgentException>(() => prepare);
            Assert.Contains("closed the connection", lost.Message);
        }

        Assert.Equal(grub, File.ReadAllBytes(disk.GrubEnv));
        Assert.Equal(rootA, disk.PartitionSha(2));
        Assert.Equal(persist, disk.PartitionSha(4));
        // The superblock of the half-written image is there: only the restarted agent's recovery removes it.
        Assert.Equal("ext4", disk.Blkid(3, "TYPE"));

        using (var restarted = new AgentProcess(disk))
        {
            var status = await restarted.Client.StatusAsync(TestContext.Current.CancellationToken);
            Assert.False(status.LastResult!.Succeeded);
            Assert.Equal(AgentMethods.PrepareUpgrade, status.LastResult.Method);
            Assert.Contains("interrupted while writing partition B", status.LastResult.Message);
            Assert.False(status.Inactive.Bootable);
            Assert.Null(status.Staged);
            Assert.Equal("", disk.Blkid(3, "TYPE"));
            var rollback = await Assert.ThrowsAsync<AgentException>(() => restarted.Client.RollbackAsync(TestContext.Current.CancellationToken));
            Assert.Contains("holds no filesystem", rollback.Message);
        }
        Assert.Equal(grub, File.ReadAllBytes(disk.GrubEnv));
        Assert.False(File.Exists(disk.RebootMarker));
    }
}
