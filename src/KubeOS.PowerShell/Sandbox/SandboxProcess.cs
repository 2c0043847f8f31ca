using System.Diagnostics;
using System.Text;

namespace KubeOS.PowerShell.Sandbox;

/// <summary>
/// The kubeos-sandbox child process. Its stdin stays open for as long as the sandbox should run: when this process
/// ends, for whatever reason, the pipe closes and the sandbox stops by itself, so sandboxes never outlive pwsh.
/// </summary>
public sealed class SandboxProcess : IDisposable
{
    private const string KubeconfigPrefix = "kubeconfig: ";
    private const int KeptLines = 40;

    private readonly Process _process;
    private readonly TaskCompletionSource<string?> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _recent = new();

    private SandboxProcess(Process process, string directory)
    {
        _process = process;
        Directory = directory;
        _ = Pump(process.StandardOutput, isStdout: true);
        _ = Pump(process.StandardError, isStdout: false);
    }

    /// <summary>The temporary folder that holds the kubeconfig; deleted when the sandbox stops.</summary>
    public string Directory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public DateTime StartTime { get; private init; }

    /// <summary>Starts the process; call <see cref="WaitForKubeconfigAsync"/> next.</summary>
    /// <param name="installKubeOS">Pass --install-kubeos: the sandbox comes up with the operator and proxies running.</param>
    public static SandboxProcess Start(string dotnet, string sandboxDll, int nodes, int workloads, bool installKubeOS = false)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("kubeos-sandbox-").FullName;
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = directory,
        };
        foreach (var arg in new[] { sandboxDll, "--nodes", nodes.ToString(), "--workloads", workloads.ToString(),
                     "--kubeconfig", Path.Combine(directory, "kubeconfig") })
        {
            start.ArgumentList.Add(arg);
        }
        if (installKubeOS)
        {
            start.ArgumentList.Add("--install-kubeos");
        }
        try
        {
            var process = Process.Start(start) ?? throw new InvalidOperationException($"{dotnet} did not start.");
            return new SandboxProcess(process, directory) { StartTime = DateTime.Now };
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>The kubeconfig path the sandbox prints first, once its API server and nodes are up.</summary>
    public async Task<string> WaitForKubeconfigAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            line = await _firstLine.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new SandboxStartException($"kubeos-sandbox printed no kubeconfig within {timeout.TotalSeconds:0} s.{RecentOutput()}");
        }
        if (line is null || !line.StartsWith(KubeconfigPrefix, StringComparison.Ordinal))
        {
            // The process ended (or printed something else) before it was ready.
            var exit = await WaitExitCodeAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            throw new SandboxStartException(
                $"kubeos-sandbox stopped before it was ready{(exit is { } code ? $" (exit code {code})" : "")}.{RecentOutput(line)}");
        }
        return line[KubeconfigPrefix.Length..].Trim();
    }

    /// <summary>
    /// Closes stdin, which the sandbox takes as the signal to shut down, and waits; kills it if it has not ended
    /// within <paramref name="grace"/>. Then removes its temporary folder. Returns false when it had to be killed.
    /// </summary>
    public bool Stop(TimeSpan grace)
    {
        var clean = true;
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The pipe is already broken: the process is on its way out.
            }
            if (!_process.WaitForExit(grace))
            {
                clean = false;
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        TryDelete(Directory);
        return clean;
    }

    /// <summary>The last lines the process wrote, for error messages.</summary>
    public string RecentOutput(string? extra = null)
    {
        string[] lines;
        lock (_recent)
        {
            lines = _recent.ToArray();
        }
        if (extra is not null) lines = [extra, .. lines];
        return lines.Length == 0 ? "" : Environment.NewLine + "Its last output:" + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }

    private async Task<int?> WaitExitCodeAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    // Both pipes are read to the end so a chatty sandbox never blocks on a full pipe buffer.
    private async Task Pump(StreamReader reader, bool isStdout)
    {
        var first = isStdout;
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (first)
                {
                    first = false;
                    _firstLine.TrySetResult(line);
                    continue;
                }
                lock (_recent)
                {
                    _recent.Enqueue(line);
                    while (_recent.Count > KeptLines) _recent.Dequeue();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
        if (isStdout)
        {
            _firstLine.TrySetResult(null);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless; the sandbox is already stopped.
        }
    }

    public void Dispose() => _process.Dispose();
}

/// <summary>The sandbox process failed before it was ready.</summary>
public sealed class SandboxStartException(string message) : Exception(message);
