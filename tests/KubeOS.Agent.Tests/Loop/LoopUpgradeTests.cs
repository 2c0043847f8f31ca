using System.Security.Cryptography;
using KubeOS.Agent.Tests.Support;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Loop;

/// <summary>The agent against a real GPT disk on a loop device (needs root and loop devices).</summary>
public sealed class LoopUpgradeTests
{
    private static UpgradeRequest Request(string url, byte[] payload, string version = "KubeOS v2") => new()
    {
        Version = version,
        ImageType = ImageTypes.Disk,
        ImageUrl = url,
        CheckSum = Convert.ToHexStringLower(SHA256.HashData(payload)),
        FlagSafe = true,
    };

    [Fact]
    public async Task Loop_TarPayload_StagesFreshExt4_ThenUpgradeConfirmRollbackFlip()
    {
        using var disk = new LoopDisk();
        var tar = RootTree.Tar(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2", fillerBytes: 3 << 20));
        using var http = new TestHttpServer(tar);
        await using var agent = new InProcessAgent(disk.System);
        var rootA = disk.PartitionSha(2);
        var persist = disk.PartitionSha(4);
        var grubBefore = disk.GrubEnvList();

        var prepared = await agent.Client.PrepareUpgradeAsync(Request(http.Url, tar), TestContext.Current.CancellationToken);

        Assert.Equal(AgentStatus.UpgradeReady, prepared.Status);
        Assert.Equal("ext4", disk.Blkid(3, "TYPE"));
        Assert.Equal("ROOT-B", disk.Blkid(3, "LABEL"));
        Assert.Equal("KubeOS v2", disk.ReadFiles(3, m => File.ReadAllText(Path.Combine(m, "boot", "vmlinuz")))["kernel of ".Length..]);
        Assert.Equal(grubBefore, disk.GrubEnvList());
        Assert.Equal(rootA, disk.PartitionSha(2));
        Assert.False(File.Exists(disk.RebootMarker));

        var status = await agent.Client.StatusAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("A", "KubeOS v1", true), (status.Active.Name, status.Active.Version, status.Active.Bootable));
        Assert.Equal(("B", "KubeOS v2", true), (status.Inactive.Name, status.Inactive.Version, status.Inactive.Bootable));
        Assert.Equal("tar", status.Staged?.Payload);
        Assert.Equal(tar.Length, status.Staged?.Bytes);

        var upgraded = await agent.Client.UpgradeAsync(TestContext.Current.CancellationToken);
        Assert.Equal(AgentStatus.Upgraded, upgraded.Status);
        var env = disk.GrubEnvList();
        Assert.Contains("saved_entry=A", env);
        Assert.Contains("next_entry=B", env);
        await WaitFor(() => File.Exists(disk.RebootMarker));

        // The trial boot of B came up: the proxy confirms it.
        disk.BootFrom(3);
        var pending = await agent.Client.StatusAsync(TestContext.Current.CancellationToken);
        Assert.True(pending.BootPendingConfirmation);
        Assert.Equal(AgentStatus.BootConfirmed, (await agent.Client.ConfirmBootAsync(TestContext.Current.CancellationToken)).Status);
        env = disk.GrubEnvList();
        Assert.Contains("saved_entry=B", env);
        Assert.DoesNotContain("next_entry=B", env);

        File.Delete(disk.RebootMarker);
        var rolledBack = await agent.Client.RollbackAsync(TestContext.Current.CancellationToken);
        Assert.Equal(AgentStatus.Rollbacked, rolledBack.Status);
        env = disk.GrubEnvList();
        Assert.Contains("next_entry=A", env);
        Assert.Contains("saved_entry=B", env);
        await WaitFor(() => File.Exists(disk.RebootMarker));
        Assert.Equal(persist, disk.PartitionSha(4));
        Assert.Equal(rootA, disk.PartitionSha(2));
    }

    [Fact]
    public async Task Loop_RawExt4Image_WrittenByteForByte_AndRelabelledForItsSlot()
    {
        using var disk = new LoopDisk();
        var image = RootTree.Ext4Image(RootTree.Create(Path.Combine(disk.Dir, "v3"), "KubeOS v3"), "ROOT-A", 16L << 20);
        using var http = new TestHttpServer(image, ServeMode.Chunked);
        await using var agent = new InProcessAgent(disk.System);
        var persist = disk.PartitionSha(4);

        var prepared = await agent.Client.PrepareUpgradeAsync(Request(http.Url, image, "KubeOS v3"), TestContext.Current.CancellationToken);

        Assert.Equal(AgentStatus.UpgradeReady, prepared.Status);
        // The image said ROOT-A; on partition 3 it must say ROOT-B, or GRUB's search --label would find two ROOT-As.
        Assert.Equal("ROOT-B", disk.Blkid(3, "LABEL"));
        // Everything but the superblocks (the primary at byte 1024 and its backups, which the relabel rewrites
        // together with their write time) is the image byte for byte.
        var written = new byte[image.Length];
        using (var device = File.OpenRead(disk.Partition(3))) device.ReadExactly(written);
        var differing = Enumerable.Range(0, image.Length / 1024)
            .Where(k => !IsSuperblockCopy(image, k * 1024) && !image.AsSpan(k * 1024, 1024).SequenceEqual(written.AsSpan(k * 1024, 1024)))
            .ToList();
        Assert.Empty(differing);
        Assert.Equal(persist, disk.PartitionSha(4));
        Assert.Contains("saved_entry=A", disk.GrubEnvList());
        Assert.DoesNotContain("next_entry", disk.GrubEnvList());
    }

    [Fact]
    public async Task Loop_GzipTarPayload_IsUnpacked_AndUpgradeThenArmsIt()
    {
        using var disk = new LoopDisk();
        var tar = RootTree.Tar(RootTree.Create(Path.Combine(disk.Dir, "v4"), "KubeOS v4", fillerBytes: 1 << 20));
        var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(tar);
        var payload = compressed.ToArray();
        using var http = new TestHttpServer(payload);
        await using var agent = new InProcessAgent(disk.System);

        Assert.Equal(AgentStatus.UpgradeReady, (await agent.Client.PrepareUpgradeAsync(Request(http.Url, payload, "KubeOS v4"), TestContext.Current.CancellationToken)).Status);

        var status = await agent.Client.StatusAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("tar.gz", "KubeOS v4"), (status.Staged?.Payload, status.Inactive.Version));
        Assert.Equal(AgentStatus.Upgraded, (await agent.Client.UpgradeAsync(TestContext.Current.CancellationToken)).Status);
        Assert.Contains("next_entry=B", disk.GrubEnvList());
    }

    [Theory]
    [InlineData(ServeMode.Full, "check_sum mismatch")]
    [InlineData(ServeMode.Truncated, "broke off")]
    [InlineData(ServeMode.ServerError, "HTTP 500")]
    public async Task Loop_FailedDownload_LeavesBootTargetAndRootUntouched(ServeMode mode, string expected)
    {
        using var disk = new LoopDisk();
        var tar = RootTree.Tar(RootTree.Create(Path.Combine(disk.Dir, "v2"), "KubeOS v2", fillerBytes: 2 << 20));
        using var http = new TestHttpServer(tar, mode);
        await using var agent = new InProcessAgent(disk.System);
        var request = Request(http.Url, tar);
        if (mode == ServeMode.Full)
            request.CheckSum = new string('0', 64);
        var grub = File.ReadAllBytes(disk.GrubEnv);
        var rootA = disk.PartitionSha(2);
        var persist = disk.PartitionSha(4);

        var error = await Assert.ThrowsAsync<AgentException>(() => agent.Client.PrepareUpgradeAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(JsonRpcError.AgentFailure, error.Code);
        Assert.Contains(expected, error.Message);
        Assert.Equal(grub, File.ReadAllBytes(disk.GrubEnv));
        Assert.Equal(rootA, disk.PartitionSha(2));
        Assert.Equal(persist, disk.PartitionSha(4));
        Assert.Equal("", disk.Blkid(3, "TYPE"));
        var status = await agent.Client.StatusAsync(TestContext.Current.CancellationToken);
        Assert.False(status.Inactive.Bootable);
        Assert.Null(status.Staged);
        Assert.False(status.LastResult!.Succeeded);
        Assert.Contains(expected, status.LastResult.Message);
    }

    [Theory]
    [InlineData(ServeMode.Full)]
    [InlineData(ServeMode.Chunked)]
    public async Task Loop_ImageLargerThanPartition_IsRefused(ServeMode mode)
    {
        using var disk = new LoopDisk();
        var image = new byte[LoopDisk.RootBytes + (1 << 20)];
        new Random(7).NextBytes(image.AsSpan(0, 1 << 20));
        using var http = new TestHttpServer(image, mode);
        await using var agent = new InProcessAgent(disk.System);
        var grub = File.ReadAllBytes(disk.GrubEnv);
        var rootA = disk.PartitionSha(2);

        var error = await Assert.ThrowsAsync<AgentException>(() => agent.Client.PrepareUpgradeAsync(Request(http.Url, image), TestContext.Current.CancellationToken));

        Assert.Contains("larger than partition B", error.Message);
        Assert.Equal(grub, File.ReadAllBytes(disk.GrubEnv));
        Assert.Equal(rootA, disk.PartitionSha(2));
    }

    [Fact]
    public async Task Loop_StandbyCarryingAnotherPartitionsLabel_IsNeverWritten()
    {
        using var disk = new LoopDisk();
        Shell.Run("mkfs.ext4", "-q", "-F", "-L", "PERSIST", disk.Partition(3));
        var standby = disk.PartitionSha(3);
        var image = new byte[1 << 20];
        using var http = new TestHttpServer(image);
        await using var agent = new InProcessAgent(disk.System);

        var error = await Assert.ThrowsAsync<AgentException>(() => agent.Client.PrepareUpgradeAsync(Request(http.Url, image), TestContext.Current.CancellationToken));

        Assert.Contains("labelled LABEL=PERSIST; refusing to touch it (expected ROOT-B)", error.Message);
        Assert.Equal(standby, disk.PartitionSha(3));
        Assert.Equal(0, http.Requests);
    }

    [Fact]
    public async Task Loop_CompressedTarThatUnpacksLargerThanThePartition_IsRefused()
    {
        using var disk = new LoopDisk();
        var tree = RootTree.Create(Path.Combine(disk.Dir, "big"), "KubeOS big");
        using (var zeros = File.Create(Path.Combine(tree, "usr", "zeros.bin")))
            zeros.SetLength(LoopDisk.RootBytes + (8 << 20));
        var tarPath = tree + ".tar.gz";
        Shell.Run("tar", "-czf", tarPath, "-C", tree, ".");
        var payload = File.ReadAllBytes(tarPath);
        using var http = new TestHttpServer(payload);
        await using var agent = new InProcessAgent(disk.System);
        var grub = File.ReadAllBytes(disk.GrubEnv);

        var error = await Assert.ThrowsAsync<AgentException>(() => agent.Client.PrepareUpgradeAsync(Request(http.Url, payload), TestContext.Current.CancellationToken));

        Assert.Contains("does not fit in partition B", error.Message);
        Assert.Equal(grub, File.ReadAllBytes(disk.GrubEnv));
        Assert.Equal("", disk.Blkid(3, "TYPE"));
        Assert.Empty(Directory.GetDirectories(disk.StateDir, "standby"));
    }

    [Fact]
    public async Task Loop_RollbackToEmptyPartition_IsRefused()
    {
        using var disk = new LoopDisk();
        await using var agent = new InProcessAgent(disk.System);
        var grub = File.ReadAllBytes(disk.GrubEnv);

        var error = await Assert.ThrowsAsync<AgentException>(() => agent.Client.RollbackAsync(TestContext.Current.CancellationToken));

        Assert.Contains("partition B", error.Message);
        Assert.Contains("holds no filesystem", error.Message);
        Assert.Equal(grub, File.ReadAllBytes(disk.GrubEnv));
        Assert.False(File.Exists(disk.RebootMarker));
    }

    [Fact]
    public async Task Loop_SecondCallDuringPrepare_FailsAtOnceAsBusy()
    {
        using var disk = new LoopDisk();
        var image = new byte[8 << 20];
        using var http = new TestHttpServer(image, ServeMode.Full, bytesPerSecond: 4 << 20);
        await using var agent = new InProcessAgent(disk.System);

        var prepare = agent.Client.PrepareUpgradeAsync(Request(http.Url, image), TestContext.Current.CancellationToken);
        await WaitFor(() => Interlocked.Read(ref http.BytesSent) > 0);
        var busy = await Assert.ThrowsAsync<AgentException>(() => agent.Client.StatusAsync(TestContext.Current.CancellationToken));

        Assert.True(busy.IsBusy, busy.Message);
        Assert.Equal(AgentStatus.UpgradeReady, (await prepare).Status);
    }

    internal static async Task WaitFor(Func<bool> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not reached in time");
            await Task.Delay(50);
        }
    }

    /// <summary>A 1 KiB block holding a copy of the image's ext4 superblock (same inode count, magic 0xEF53).</summary>
    private static bool IsSuperblockCopy(byte[] image, int offset) =>
        image.AsSpan(offset, 4).SequenceEqual(image.AsSpan(1024, 4)) && image[offset + 56] == 0x53 && image[offset + 57] == 0xEF;
}
