using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using KubeOS.Agent.Images;

namespace KubeOS.Agent.Disk;

/// <summary>
/// Streams a raw image onto a partition with receiving, hashing and writing overlapped: each large chunk is filled
/// from the source, then hashed and written at the same time by two workers, and goes back to a small ring of reused
/// buffers once both are done. The ring bounds memory (<see cref="Buffers"/> x <see cref="ChunkBytes"/>) and makes the
/// receiver wait when the disk or the hash falls behind. The hash sees chunks in order, so the digest is the
/// digest of the stream.
/// </summary>
public static class RawWritePipeline
{
    public const int ChunkBytes = 4 << 20;
    public const int Buffers = 4;

    /// <param name="head">Bytes already taken from the source (and already hashed, if the source hashes): written first.</param>
    /// <param name="rest">The remainder of the image.</param>
    /// <param name="hash">Sees every byte of <paramref name="rest"/> in order, on its own thread; null when the source hashes as it is read.</param>
    /// <returns>Bytes written.</returns>
    public static async Task<long> WriteAsync(ReadOnlyMemory<byte> head, Stream rest, Action<ReadOnlySpan<byte>>? hash, RootPartition target,
        CancellationToken cancellationToken)
    {
        using var device = new BlockDeviceFile(target.Device);
        var free = Channel.CreateBounded<Chunk>(Buffers);
        var chunks = new List<Chunk>();
        try
        {
            for (var i = 0; i < Buffers; i++)
            {
                chunks.Add(new Chunk(free.Writer));
                free.Writer.TryWrite(chunks[^1]);
            }
            return await RunAsync(head, rest, hash, target, device, free, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Only reached once the workers have stopped: nothing touches the buffers any more.
            foreach (var chunk in chunks)
                chunk.Dispose();
        }
    }

    private static async Task<long> RunAsync(ReadOnlyMemory<byte> head, Stream rest, Action<ReadOnlySpan<byte>>? hash, RootPartition target,
        BlockDeviceFile device, Channel<Chunk> free, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var toWrite = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var toHash = hash is null ? null : Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var workers = new List<Task>
        {
            Worker(toWrite.Reader, c => device.WriteAt(c.Data.Span, c.Offset), stop),
        };
        if (toHash is not null)
            workers.Add(Worker(toHash.Reader, c => hash!(c.Data.Span[c.HashFrom..]), stop));

        Exception? failure = null;
        long offset = 0;
        try
        {
            var pendingHead = head;
            while (true)
            {
                var chunk = await free.Reader.ReadAsync(stop.Token).ConfigureAwait(false);
                var headBytes = pendingHead.Length;
                pendingHead.CopyTo(chunk.Buffer);
                pendingHead = default;
                var filled = headBytes + await rest.ReadAtLeastAsync(chunk.Buffer[headBytes..], ChunkBytes - headBytes, throwOnEndOfStream: false, stop.Token)
                    .ConfigureAwait(false);
                if (filled == 0)
                    break;
                if (offset + filled > target.SizeBytes)
                    throw new ImageTooLargeException(
                        $"the image is larger than partition {target.Name} ({target.Device}, {target.SizeBytes} bytes); build a smaller root or grow the partition");
                chunk.Fill(offset, filled, headBytes, users: toHash is null ? 1 : 2);
                toWrite.Writer.TryWrite(chunk);
                toHash?.Writer.TryWrite(chunk);
                offset += filled;
                if (filled < ChunkBytes)
                    break; // ReadAtLeastAsync comes back short only at the end of the stream
            }
        }
        catch (Exception e)
        {
            failure = e;
            stop.Cancel();
        }
        toWrite.Writer.Complete();
        toHash?.Writer.Complete();
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A worker's own error explains the receiver's cancellation better than the cancellation does.
            if (failure is null || failure is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                failure = e;
        }
        if (failure is not null)
            ExceptionDispatchInfo.Throw(failure);
        device.Flush();
        return offset;
    }

    private static Task Worker(ChannelReader<Chunk> queue, Action<Chunk> work, CancellationTokenSource stop) =>
        Task.Factory.StartNew(() =>
        {
            try
            {
                while (queue.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    while (queue.TryRead(out var chunk))
                    {
                        if (stop.IsCancellationRequested)
                            return;
                        work(chunk);
                        chunk.Release();
                    }
                }
            }
            catch
            {
                stop.Cancel();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>One reusable buffer, aligned for O_DIRECT, and what it currently holds.</summary>
    private sealed class Chunk(ChannelWriter<Chunk> pool) : IDisposable
    {
        private readonly MappedBuffer _memory = new(ChunkBytes);
        private int _users;

        public Memory<byte> Buffer => _memory.Memory;
        public long Offset { get; private set; }
        public ReadOnlyMemory<byte> Data { get; private set; }
        public int HashFrom { get; private set; }

        public void Fill(long offset, int length, int hashFrom, int users)
        {
            Offset = offset;
            Data = Buffer[..length];
            HashFrom = hashFrom;
            _users = users;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _users) == 0)
                pool.TryWrite(this);
        }

        public void Dispose() => ((IDisposable)_memory).Dispose();
    }
}
