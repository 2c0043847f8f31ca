using System.ComponentModel;
using System.Runtime.InteropServices;

namespace KubeOS.Agent.Node;

/// <summary>fsync/syncfs on paths .NET cannot open as streams (directories, mount points).</summary>
public static partial class NativeSync
{
    private const int ORdOnly = 0;
    private const int OCloexec = 0x80000;

    public static void Fsync(string path) => WithFd(path, fd => fsync(fd), "fsync");

    /// <summary>Flushes the whole filesystem holding the path (what `sync -f` does).</summary>
    public static void SyncFileSystem(string path) => WithFd(path, fd => syncfs(fd), "syncfs");

    private static void WithFd(string path, Func<int, int> call, string name)
    {
        var fd = open(path, ORdOnly | OCloexec);
        if (fd < 0)
            throw new IOException($"open {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        try
        {
            if (call(fd) != 0)
                throw new IOException($"{name} {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
        finally
        {
            close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int syncfs(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
