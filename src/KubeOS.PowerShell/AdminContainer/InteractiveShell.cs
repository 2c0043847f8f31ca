using Renci.SshNet;
using Renci.SshNet.Common;

namespace KubeOS.PowerShell.AdminContainer;

/// <summary>
/// Joins the local console to a remote shell with a pseudo-terminal: keys go to the shell byte by byte (the local
/// terminal in raw mode), the shell's output goes to standard output as it comes, and the window size follows the local
/// one. Returns when the remote shell exits or the pipeline is stopped.
/// </summary>
internal static class InteractiveShell
{
    private const int PollMilliseconds = 100;

    public static void Run(SshClient ssh, CancellationToken stop)
    {
        var (columns, rows) = WindowSize();
        var terminalType = Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb" ? term : "xterm-256color";
        using var shell = ssh.CreateShellStream(terminalType, (uint)columns, (uint)rows, 0, 0, 32 * 1024,
            new Dictionary<TerminalModes, uint>());
        using var stdout = Console.OpenStandardOutput();
        var output = Task.Run(() => CopyOutput(shell, stdout));
        var unix = UnixTerminal.TryOpen();
        using (unix?.EnterRawMode())
        {
            var buffer = new byte[4096];
            while (!output.IsCompleted && !stop.IsCancellationRequested)
            {
                var count = unix is null ? ReadConsoleKeys(buffer) : unix.ReadInput(buffer, PollMilliseconds);
                if (count < 0)
                {
                    // End of local input: let the remote shell see it too, then wait for it to finish.
                    shell.Write([0x04], 0, 1);
                    shell.Flush();
                    output.Wait(TimeSpan.FromSeconds(5));
                    break;
                }
                if (count > 0 && !output.IsCompleted)
                {
                    try
                    {
                        shell.Write(buffer, 0, count);
                        shell.Flush();
                    }
                    catch (Exception ex) when (ex is ObjectDisposedException or SshException)
                    {
                        break;
                    }
                }
                var size = WindowSize();
                if (size != (columns, rows))
                {
                    (columns, rows) = size;
                    shell.ChangeWindowSize((uint)columns, (uint)rows, 0, 0);
                }
            }
        }
        output.Wait(TimeSpan.FromSeconds(2));
    }

    private static void CopyOutput(ShellStream shell, Stream stdout)
    {
        var buffer = new byte[8192];
        try
        {
            int count;
            while ((count = shell.Read(buffer, 0, buffer.Length)) > 0)
            {
                stdout.Write(buffer, 0, count);
                stdout.Flush();
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SshException or IOException)
        {
            // The session ended while reading; nothing more to show.
        }
    }

    /// <summary>Windows consoles: keys as characters, polled so the loop also notices the shell's end.</summary>
    private static int ReadConsoleKeys(byte[] buffer)
    {
        if (!Console.KeyAvailable)
        {
            Thread.Sleep(PollMilliseconds);
            return 0;
        }
        var key = Console.ReadKey(intercept: true);
        return System.Text.Encoding.UTF8.GetBytes([key.KeyChar], 0, 1, buffer, 0);
    }

    private static (int Columns, int Rows) WindowSize()
    {
        try
        {
            var (columns, rows) = (Console.WindowWidth, Console.WindowHeight);
            // A terminal that reports no size (a fresh pseudo-terminal) gets a usual one.
            return (columns > 0 ? columns : 120, rows > 0 ? rows : 40);
        }
        catch (IOException)
        {
            return (120, 40);
        }
    }
}
