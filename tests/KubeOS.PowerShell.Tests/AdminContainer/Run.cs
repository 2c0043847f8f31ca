using System.Diagnostics;

namespace KubeOS.PowerShell.Tests.AdminContainer;

/// <summary>Runs a system tool with exact arguments (no splitting on spaces) and captures what it printed.</summary>
public static class Run
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public Result Succeeded(string what) =>
            ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed ({ExitCode}): {StdErr}{StdOut}");
    }

    public static Result Tool(string file, params string[] arguments) => Tool(file, arguments, null);

    public static Result Tool(string file, IEnumerable<string> arguments, string? stdin)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within 30 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The namespace link of a process as readlink prints it, e.g. mnt:[4026531832].</summary>
    public static string Namespace(string pid, string kind) => new FileInfo($"/proc/{pid}/ns/{kind}").LinkTarget!;

    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
