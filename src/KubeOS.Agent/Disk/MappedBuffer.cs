using System.Buffers;
using System.Runtime.InteropServices;

namespace KubeOS.Agent.Disk;

/// <summary>
/// Page-aligned memory straight from mmap, as O_DIRECT needs, and given back to the kernel on dispose, so the agent's
/// resident size drops back to idle after an upgrade instead of keeping the write buffers in the GC heap.
/// </summary>
public sealed unsafe partial class MappedBuffer : MemoryManager<byte>
{
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;

    private readonly int _length;
    private byte* _pointer;

    public MappedBuffer(int length)
    {
        _length = length;
        var address = mmap(null, (nuint)length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (address == (void*)-1)
            throw new OutOfMemoryException($"mmap of a {length}-byte write buffer failed (errno {Marshal.GetLastPInvokeError()})");
        _pointer = (byte*)address;
    }

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_pointer == null, this);
        return new Span<byte>(_pointer, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (_pointer == null)
            return;
        munmap(_pointer, (nuint)_length);
        _pointer = null;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(void* address, nuint length);
}
