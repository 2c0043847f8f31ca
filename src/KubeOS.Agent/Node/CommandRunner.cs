using System.Diagnostics;
using System.Text;

namespace KubeOS.Agent.Node;

/// <summary>Runs host tools (mkfs, mount, blkid, …) and turns a failure into an error carrying their output.</summary>
public static class CommandRunner
{
    public static async Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default)
    {
        var (code, stdout, stderr) = await TryRunAsync(command, cancellationToken).ConfigureAwait(false);
        if (code != 0)
            throw new CommandFailedException(command, code, stdout, stderr);
        return stdout;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> TryRunAsync(IReadOnlyList<string> command,
        CancellationToken cancellationToken = default)
    {
        using var process = Start(command, redirectInput: false);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw;
        }
        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    public static Process Start(IReadOnlyList<string> command, bool redirectInput)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in command.Skip(1))
            info.ArgumentList.Add(arg);
        // Tools' messages are parsed and shown; keep them in one language.
        info.Environment["LC_ALL"] = "C";
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"could not start {command[0]}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start {command[0]}: {e.Message} (is it installed?)", e);
        }
    }

    public static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}

public sealed class CommandFailedException(IReadOnlyList<string> command, int exitCode, string stdout, string stderr)
    : Exception($"`{string.Join(' ', command)}` exited with {exitCode}: {(stderr.Trim().Length > 0 ? stderr.Trim() : stdout.Trim())}")
{
    public int ExitCode { get; } = exitCode;
    public string Stderr { get; } = stderr;
}
