using System.Diagnostics;

namespace KubeOS.Agent.Images;

/// <summary>
/// Read-only pass-through that holds reads back to an average of <c>bytesPerSecond</c> since the first read
/// (spec.prestage.bandwidthlimit), so a fleet pre-staging at once does not saturate the image server or the nodes' links.
/// </summary>
public sealed class ThrottledReadStream(Stream inner, long bytesPerSecond) : Stream
{
    private readonly Stopwatch _clock = new();
    private long _bytes;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer[..Limit(buffer.Length)]);
        var wait = Account(n);
        if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer[..Limit(buffer.Length)], cancellationToken).ConfigureAwait(false);
        var wait = Account(n);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // At most a tenth of a second's worth per read, so the pace is smooth rather than bursts and long pauses.
    private int Limit(int requested) => (int)Math.Max(1, Math.Min(requested, Math.Max(1, bytesPerSecond / 10)));

    /// <summary>How long to wait so the bytes so far are not ahead of the allowed rate.</summary>
    private TimeSpan Account(int n)
    {
        if (!_clock.IsRunning) _clock.Start();
        _bytes += n;
        var due = TimeSpan.FromSeconds((double)_bytes / bytesPerSecond);
        return due - _clock.Elapsed;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
