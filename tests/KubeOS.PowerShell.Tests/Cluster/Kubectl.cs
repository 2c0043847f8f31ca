using System.Diagnostics;

namespace KubeOS.PowerShell.Tests.Cluster;

/// <summary>kubectl against a sandbox's kubeconfig: an independent view of what the cmdlets did to the cluster.</summary>
public sealed class Kubectl(string kubeconfig)
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public Result Succeeded() => ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"kubectl failed ({ExitCode}): {StdErr}");
    }

    public Result Run(string arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var arg in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {arguments} did not finish within 30 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
