using System.Diagnostics;
using KubeOS.Agent.Images;

namespace KubeOS.Agent.Tests.Images;

/// <summary>The download pace of spec.prestage.bandwidthlimit: every byte passes unchanged, in small reads, no faster than allowed.</summary>
public sealed class ThrottledReadStreamTests
{
    [Fact]
    public async Task Bytes_pass_unchanged_in_reads_of_at_most_a_tenth_of_a_second_and_not_faster_than_the_limit()
    {
        var data = new byte[96 * 1024];
        Random.Shared.NextBytes(data);
        const long limit = 256 * 1024;
        await using var throttled = new ThrottledReadStream(new MemoryStream(data), limit);
        var copy = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var largest = 0;
        var clock = Stopwatch.StartNew();
        int n;
        while ((n = await throttled.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            largest = Math.Max(largest, n);
            copy.Write(buffer, 0, n);
        }
        Assert.Equal(data, copy.ToArray());
        Assert.True(largest <= limit / 10, $"a read returned {largest} bytes");
        // 96 KiB at 256 KiB/s: the last byte is due at 0.375 s after the first read (lower bound only).
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.3), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Synchronous_reads_are_throttled_and_complete_too()
    {
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        using var throttled = new ThrottledReadStream(new MemoryStream(data), 1_000_000);
        var copy = new MemoryStream();
        throttled.CopyTo(copy);
        Assert.Equal(data, copy.ToArray());
    }
}
