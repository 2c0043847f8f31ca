using System.ComponentModel;
using System.Runtime.InteropServices;

namespace KubeOS.Agent.Disk;

/// <summary>
/// A partition opened twice for writing: with O_DIRECT for whole aligned chunks, so a multi-GiB image neither goes
/// through a page-cache copy nor gets throttled by dirty-page writeback, and buffered for the unaligned tail.
/// Devices that refuse O_DIRECT are written buffered throughout.
/// </summary>
public sealed partial class BlockDeviceFile : IDisposable
{
    /// <summary>Covers 512-byte and 4 KiB logical sectors alike.</summary>
    public const int Alignment = 4096;

    private const int OWrOnly = 0x1;
    private const int OCloexec = 0x80000;
    // O_DIRECT's value differs by architecture (asm-generic on arm64 puts it at 0200000).
    private static readonly int ODirect = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;
    private const int EIntr = 4;
    private const int EInval = 22;

    private readonly string _path;
    private int _direct;
    private int _buffered;

    public BlockDeviceFile(string path)
    {
        _path = path;
        _buffered = Open(path, OWrOnly | OCloexec);
        _direct = open(path, OWrOnly | OCloexec | ODirect);
    }

    public unsafe void WriteAt(ReadOnlySpan<byte> data, long offset)
    {
        fixed (byte* start = data)
        {
            var aligned = _direct >= 0 && data.Length % Alignment == 0 && (nint)start % Alignment == 0 && offset % Alignment == 0;
            int errno;
            if (aligned)
            {
                if (TryWriteAll(_direct, start, data.Length, offset, out errno))
                    return;
                if (errno != EInval)
                    throw Failure("write", errno);
                // Some stacked devices accept O_DIRECT at open and refuse it per request: stay buffered from here on.
                close(_direct);
                _direct = -1;
            }
            if (!TryWriteAll(_buffered, start, data.Length, offset, out errno))
                throw Failure("write", errno);
        }
    }

    /// <summary>Durable on return: flushes the buffered tail and the device's write cache.</summary>
    public void Flush()
    {
        if (fsync(_buffered) != 0)
            throw Failure("fsync", Marshal.GetLastPInvokeError());
    }

    public void Dispose()
    {
        if (_direct >= 0)
            close(_direct);
        if (_buffered >= 0)
            close(_buffered);
        _direct = _buffered = -1;
    }

    private static unsafe bool TryWriteAll(int fd, byte* data, int length, long offset, out int errno)
    {
        var done = 0;
        while (done < length)
        {
            var n = pwrite(fd, data + done, (nuint)(length - done), offset + done);
            if (n < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno == EIntr)
                    continue;
                return false;
            }
            if (n == 0)
            {
                errno = 28; // ENOSPC: the device ended before the data did
                return false;
            }
            done += (int)n;
        }
        errno = 0;
        return true;
    }

    private int Open(string path, int flags)
    {
        var fd = open(path, flags);
        return fd >= 0 ? fd : throw Failure("open", Marshal.GetLastPInvokeError());
    }

    private IOException Failure(string call, int errno) => new($"{call} {_path}: {new Win32Exception(errno).Message}");

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint pwrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
