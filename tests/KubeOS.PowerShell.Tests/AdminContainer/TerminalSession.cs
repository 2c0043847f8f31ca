using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;

namespace KubeOS.PowerShell.Tests.AdminContainer;

/// <summary>
/// A command run on a pseudo-terminal by util-linux script(1), typed into and read like a user at a terminal would:
/// what the test writes goes through the terminal to the program, what the program prints comes back.
/// </summary>
[SupportedOSPlatform("linux")] // namespaces, unshare and Unix file modes
public sealed class TerminalSession : IDisposable
{
    private readonly Process _script;
    private readonly StringBuilder _screen = new();
    private readonly Task _reader;

    public TerminalSession(string commandLine)
    {
        var start = new ProcessStartInfo("script")
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-q", "-f", "-e", "-c", commandLine, "/dev/null"]) start.ArgumentList.Add(argument);
        start.Environment["TERM"] = "xterm";
        _script = Process.Start(start)!;
        _reader = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int count;
            while ((count = await _script.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (_screen) _screen.Append(buffer, 0, count);
            }
        });
    }

    /// <summary>Everything the terminal showed so far.</summary>
    public string Screen
    {
        get
        {
            lock (_screen) return _screen.ToString();
        }
    }

    public void Type(string text)
    {
        _script.StandardInput.Write(text);
        _script.StandardInput.Flush();
    }

    /// <summary>Waits until the screen matches <paramref name="pattern"/>; fails with the screen's content if it never does.</summary>
    public Match WaitFor(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var match = regex.Match(Screen);
            if (match.Success) return match;
            if (DateTime.UtcNow > deadline || _script.HasExited && _reader.IsCompleted)
            {
                throw new Xunit.Sdk.XunitException($"The terminal never showed /{pattern}/. Screen:\n{Screen}");
            }
            Thread.Sleep(50);
        }
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_script.WaitForExit(timeout))
        {
            throw new Xunit.Sdk.XunitException($"The terminal's program did not exit within {timeout.TotalSeconds} s. Screen:\n{Screen}");
        }
        _reader.Wait(TimeSpan.FromSeconds(5));
        return _script.ExitCode;
    }

    public void Dispose()
    {
        if (!_script.HasExited) _script.Kill(entireProcessTree: true);
        _script.Dispose();
    }
}
