using System.Security.Cryptography;
using KubeOS.Agent.Disk;
using KubeOS.Agent.Images;

namespace KubeOS.Agent.Tests.Disk;

/// <summary>The receive/hash/write pipeline against a file (O_DIRECT where the file system allows it).</summary>
public sealed class RawWritePipelineTests : IDisposable
{
    private readonly string _target = Path.Combine(Path.GetTempPath(), "kubeos-pipeline-" + Guid.NewGuid().ToString("n")[..8]);

    public void Dispose() => File.Delete(_target);

    private RootPartition Target(long size)
    {
        using (var file = File.Create(_target))
            file.SetLength(size);
        return new RootPartition("B", _target, 3, size);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4096)]
    [InlineData(1000)]
    public async Task WritesHeadThenRest_AndHashesEveryByteOfTheRestInOrder(int headBytes)
    {
        // Several chunks, a tail that is not a multiple of the sector size, and a source that returns short reads.
        var image = new byte[2 * RawWritePipeline.ChunkBytes + 12345 + 3];
        new Random(7).NextBytes(image);
        var target = Target(image.Length + (1 << 20));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var written = await RawWritePipeline.WriteAsync(image.AsMemory(0, headBytes), new TrickleStream(image[headBytes..]),
            data => hash.AppendData(data), target, TestContext.Current.CancellationToken);

        Assert.Equal(image.Length, written);
        Assert.Equal(SHA256.HashData(image.AsSpan(headBytes)), hash.GetHashAndReset());
        Assert.Equal(image, File.ReadAllBytes(_target).AsSpan(0, image.Length).ToArray());
    }

    [Fact]
    public async Task ImageLargerThanThePartition_IsRefused()
    {
        var target = Target(RawWritePipeline.ChunkBytes);
        var image = new byte[RawWritePipeline.ChunkBytes + 4096];
        var error = await Assert.ThrowsAsync<ImageTooLargeException>(() =>
            RawWritePipeline.WriteAsync(default, new MemoryStream(image), null, target, TestContext.Current.CancellationToken));
        Assert.Contains("larger than partition B", error.Message);
    }

    [Fact]
    public async Task SourceFailure_Propagates()
    {
        var target = Target(4L * RawWritePipeline.ChunkBytes);
        var error = await Assert.ThrowsAsync<IOException>(() =>
            RawWritePipeline.WriteAsync(default, new TrickleStream(new byte[RawWritePipeline.ChunkBytes + 10], failAfter: RawWritePipeline.ChunkBytes + 5),
                _ => { }, target, TestContext.Current.CancellationToken));
        Assert.Equal("connection reset", error.Message);
    }

    [Fact]
    public async Task WriteFailure_StopsTheReceiver_AndIsReported()
    {
        // /dev/full accepts the open and fails every write with ENOSPC, as a dying disk would mid-image.
        var target = new RootPartition("B", "/dev/full", 3, 1L << 30);
        var error = await Assert.ThrowsAsync<IOException>(() =>
            RawWritePipeline.WriteAsync(default, new TrickleStream(new byte[8 * RawWritePipeline.ChunkBytes]), _ => { }, target, TestContext.Current.CancellationToken));
        Assert.StartsWith("write /dev/full: ", error.Message);
    }

    /// <summary>Hands out at most 64 KiB per read, like a socket, and can break off like a dropped connection.</summary>
    private sealed class TrickleStream(byte[] data, int failAfter = -1) : MemoryStream(data, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (failAfter >= 0 && Position >= failAfter)
                throw new IOException("connection reset");
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, 64 << 10)], cancellationToken);
        }
    }
}
