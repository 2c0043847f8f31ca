using System.Diagnostics;

namespace KubeOS.Sandbox.Tests;

/// <summary>Runs the real kubectl against a sandbox. A missing kubectl fails the test: it is a required tool.</summary>
public sealed class Kubectl(string kubeconfig)
{
    public const string Path = "/usr/bin/kubectl";
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public Result Succeeded()
        {
            Assert.True(ExitCode == 0, $"kubectl failed with {ExitCode}:\n{Stderr}\n{Stdout}");
            return this;
        }
    }

    public Task<Result> RunAsync(string args, TimeSpan? timeout = null, string? stdin = null) =>
        RunAsync(SplitArgs(args).ToArray(), timeout, stdin);

    public async Task<Result> RunAsync(string[] args, TimeSpan? timeout = null, string? stdin = null)
    {
        if (!File.Exists(Path))
            throw new FileNotFoundException($"kubectl is required at {Path} for these tests (install kubectl v1.32)", Path);
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        psi.ArgumentList.Add($"--cache-dir={_cacheDir}");
        using var process = Process.Start(psi)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts kubectl and returns it running (for -w); the caller stops it.</summary>
    public Process Start(string args)
    {
        if (!File.Exists(Path))
            throw new FileNotFoundException($"kubectl is required at {Path} for these tests (install kubectl v1.32)", Path);
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in SplitArgs(args)) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        psi.ArgumentList.Add($"--cache-dir={_cacheDir}");
        return Process.Start(psi)!;
    }

    private static IEnumerable<string> SplitArgs(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
