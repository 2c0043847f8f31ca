using System.Runtime.InteropServices;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// The few libc calls an interactive session needs on Linux and macOS: raw mode for the local terminal (every key goes to
/// the remote shell, which echoes) and reading standard input with a timeout, so that no reader thread is left blocked
/// on the console after the session ends. Loaded by hand so the module sets no process-wide DllImport resolver.
/// </summary>
internal sealed class UnixTerminal
{
    private const int StdIn = 0;
    private const int TcsaNow = 0;
    private const short PollIn = 0x0001;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl, SetLastError = true)]
    private delegate int TcGetAttr(int fd, byte[] termios);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl, SetLastError = true)]
    private delegate int TcSetAttr(int fd, int optionalActions, byte[] termios);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void CfMakeRaw(byte[] termios);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl, SetLastError = true)]
    private delegate int Poll([In, Out] PollFd[] fds, nuint count, int timeoutMilliseconds);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl, SetLastError = true)]
    private delegate nint Read(int fd, byte[] buffer, nint count);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    private readonly TcGetAttr _tcgetattr;
    private readonly TcSetAttr _tcsetattr;
    private readonly CfMakeRaw _cfmakeraw;
    private readonly Poll _poll;
    private readonly Read _read;

    private UnixTerminal(IntPtr libc)
    {
        _tcgetattr = Export<TcGetAttr>(libc, "tcgetattr");
        _tcsetattr = Export<TcSetAttr>(libc, "tcsetattr");
        _cfmakeraw = Export<CfMakeRaw>(libc, "cfmakeraw");
        _poll = Export<Poll>(libc, "poll");
        _read = Export<Read>(libc, "read");
    }

    public static UnixTerminal? TryOpen()
    {
        if (OperatingSystem.IsWindows()) return null;
        foreach (var name in new[] { "libc.so.6", "libc", "/usr/lib/libSystem.dylib" })
        {
            if (NativeLibrary.TryLoad(name, out var handle)) return new UnixTerminal(handle);
        }
        return null;
    }

    /// <summary>Switches standard input to raw mode; disposing restores the previous settings. Null when it is not a terminal.</summary>
    public IDisposable? EnterRawMode()
    {
        // termios is 60 bytes on Linux and 72 on macOS; a larger buffer holds either.
        var saved = new byte[256];
        if (_tcgetattr(StdIn, saved) != 0) return null;
        var raw = (byte[])saved.Clone();
        _cfmakeraw(raw);
        if (_tcsetattr(StdIn, TcsaNow, raw) != 0) return null;
        return new Restore(() => _tcsetattr(StdIn, TcsaNow, saved));
    }

    /// <summary>Reads what standard input has within <paramref name="timeoutMilliseconds"/>: 0 bytes on timeout, -1 at end of input.</summary>
    public int ReadInput(byte[] buffer, int timeoutMilliseconds)
    {
        var fds = new[] { new PollFd { Fd = StdIn, Events = PollIn } };
        var ready = _poll(fds, 1, timeoutMilliseconds);
        if (ready <= 0) return ready < 0 && Marshal.GetLastWin32Error() != 4 /* EINTR */ ? -1 : 0;
        var count = (int)_read(StdIn, buffer, buffer.Length);
        return count == 0 ? -1 : count < 0 ? (Marshal.GetLastWin32Error() == 4 ? 0 : -1) : count;
    }

    private static T Export<T>(IntPtr library, string name) where T : Delegate =>
        Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));

    private sealed class Restore(Action restore) : IDisposable
    {
        private Action? _restore = restore;

        public void Dispose()
        {
            _restore?.Invoke();
            _restore = null;
        }
    }
}
