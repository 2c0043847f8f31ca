using System.Diagnostics;

namespace KubeOS.ImageBuilder.Tests.Support;

/// <summary>Runs a host tool for assertions and returns its exit code and output.</summary>
internal static class HostProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }

    public static async Task<string> CheckedAsync(string tool, params string[] args)
    {
        var (code, output) = await RunAsync(tool, args);
        Assert.True(code == 0, $"{tool} {string.Join(' ', args)} exited {code}: {output}");
        return output;
    }
}
