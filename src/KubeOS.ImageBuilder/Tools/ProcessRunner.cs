using System.Diagnostics;
using System.Text;

namespace KubeOS.ImageBuilder.Tools;

/// <summary>Runs host tools with argument lists (never through a shell) and turns failures into readable errors.</summary>
public sealed class ProcessRunner
{
    private readonly Action<string>? _log;

    public ProcessRunner(Action<string>? log = null) => _log = log;

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public async Task<Result> RunAsync(string tool, IEnumerable<string> args, CancellationToken ct,
        string? workingDirectory = null, string? standardInput = null, bool check = true,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Tools must not prompt or translate their messages: errors are parsed and shown as they are.
        psi.Environment["LC_ALL"] = "C";
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;

        var commandLine = tool + " " + string.Join(' ', psi.ArgumentList.Select(Quote));
        _log?.Invoke("+ " + commandLine);
        using var process = new Process { StartInfo = psi };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ToolException($"cannot run '{tool}': {ex.Message}. Install it (see tools/apt-packages.txt).");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        process.WaitForExit();
        var result = new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
        if (check && result.ExitCode != 0)
            throw new ToolException($"'{commandLine}' exited with {result.ExitCode}:{Environment.NewLine}{Tail(result.StandardError + result.StandardOutput)}");
        return result;
    }

    private static string Tail(string text, int lines = 25)
    {
        var all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:,@+%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
