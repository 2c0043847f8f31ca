using System.IO.Compression;
using KubeOS.Agent.Images;
using KubeOS.Agent.Node;

namespace KubeOS.Agent.Disk;

/// <summary>
/// Writes a payload onto the standby root partition as it arrives: a raw filesystem image byte for byte, or a root
/// filesystem tar unpacked into a freshly made ext4. Nothing is staged on /persist.
/// </summary>
public sealed class StandbyWriter(NodeSystem system)
{
    private const int ChunkBytes = 1 << 20;

    /// <param name="head">The first bytes, already taken from the payload for format detection.</param>
    /// <param name="hash">Sees every byte of <paramref name="rest"/> in order; null when the stream hashes itself.</param>
    public Task<long> WriteRawAsync(ReadOnlyMemory<byte> head, Stream rest, Action<ReadOnlySpan<byte>>? hash, RootPartition target,
        CancellationToken cancellationToken) =>
        RawWritePipeline.WriteAsync(head, rest, hash, target, cancellationToken);

    /// <summary>Gives a raw ext image the target partition's label, so GRUB's search --label finds the right root.</summary>
    public static Task RelabelExtAsync(RootPartition target, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(["e2label", target.Device, target.Label], cancellationToken);

    public async Task WriteTarAsync(Stream payload, bool gzip, RootPartition target, CancellationToken cancellationToken)
    {
        await CommandRunner.RunAsync(["mkfs.ext4", "-F", "-q", "-L", target.Label, target.Device], cancellationToken).ConfigureAwait(false);
        var mount = await Mounts.MountAsync(target.Device, Path.Combine(system.StateDir, "standby"), "rw", cancellationToken).ConfigureAwait(false);
        await using (mount.ConfigureAwait(false))
        {
            var source = gzip ? new GZipStream(payload, CompressionMode.Decompress, leaveOpen: true) : payload;
            try
            {
                await ExtractAsync(source, mount.Path, target, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (gzip)
                    await source.DisposeAsync().ConfigureAwait(false);
            }
            NativeSync.SyncFileSystem(mount.Path);
        }
    }

    private static async Task ExtractAsync(Stream source, string directory, RootPartition target, CancellationToken cancellationToken)
    {
        using var tar = CommandRunner.Start(
            ["tar", "-x", "-p", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-f", "-", "-C", directory], redirectInput: true);
        var stderr = tar.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdout = tar.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stdin = tar.StandardInput.BaseStream;
        Exception? pipeError = null;
        try
        {
            var buffer = new byte[ChunkBytes];
            int n;
            while (pipeError is null && (n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                try
                {
                    await stdin.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    // tar stopped reading: it failed, or it saw the end-of-archive blocks before the stream's padding.
                    pipeError = e;
                }
            }
        }
        catch
        {
            // The download failed: tar must not see a clean end of input and the mount must be released.
            CommandRunner.TryKill(tar);
            throw;
        }
        try
        {
            stdin.Close();
        }
        catch (IOException)
        {
        }
        await tar.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await stdout.ConfigureAwait(false);
        var errors = (await stderr.ConfigureAwait(false)).Trim();
        if (tar.ExitCode != 0)
        {
            if (errors.Contains("No space left on device", StringComparison.Ordinal))
                throw new ImageTooLargeException(
                    $"the root filesystem in the tar does not fit in partition {target.Name} ({target.Device}, {target.SizeBytes} bytes)");
            throw new InvalidDataException($"unpacking the root filesystem tar failed (tar exited with {tar.ExitCode}): {errors}");
        }
        if (pipeError is not null)
            AgentLog.Info("tar finished before the end of the stream; the rest is still read for the checksum");
    }

    /// <summary>
    /// Makes a partition that was partly written unrecognisable, so neither GRUB nor rollback mistakes it for a root.
    /// </summary>
    public static async Task InvalidateAsync(RootPartition target)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Share = FileShare.ReadWrite, BufferSize = 0 };
            await using (var device = new FileStream(target.Device, options))
            {
                await device.WriteAsync(new byte[Math.Min(ChunkBytes, target.SizeBytes)]).ConfigureAwait(false);
                device.Flush(flushToDisk: true);
            }
            await CommandRunner.RunAsync(["wipefs", "-a", "-q", target.Device]).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or CommandFailedException or UnauthorizedAccessException)
        {
            AgentLog.Error($"could not invalidate partition {target.Name} ({target.Device}): {e.Message}");
        }
    }
}
