using System.Diagnostics;

namespace KubeOS.Sandbox.Tests;

/// <summary>kubeos-sandbox as its own process, the way the PowerShell module starts it.</summary>
public sealed class StandaloneProcessTests
{
    [Theory]
    [InlineData(3, new[] { "node/node-0", "node/node-1", "node/node-2" })]
    [InlineData(0, new string[0])]
    public async Task The_process_prints_the_kubeconfig_path_first_serves_nodes_and_exits_when_stdin_closes(int count, string[] expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("sandbox-process-").FullName;
        var kubeconfig = Path.Combine(dir, "config");
        using var process = StartSandbox("--nodes", count.ToString(), "--kubeconfig", kubeconfig);
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.Equal($"kubeconfig: {kubeconfig}", first);

            var nodes = (await new Kubectl(kubeconfig).RunAsync("get nodes -o name")).Succeeded();
            Assert.Equal(expected, nodes.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            process.StandardInput.Close();
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(15), ct);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Starts kubeos-sandbox as the module does: its own process, stdin held open.</summary>
    private static Process StartSandbox(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "kubeos-sandbox.dll");
        Assert.True(File.Exists(dll), $"{dll} is built with the tests");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    [Fact]
    public async Task SIGTERM_stops_the_process_cleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = StartSandbox("--nodes", "1");
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.StartsWith("kubeconfig: ", first);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync(ct);
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(15), ct);
            Assert.Equal(0, process.ExitCode);
            Assert.False(File.Exists(first!["kubeconfig: ".Length..]), "the temporary kubeconfig is removed on exit");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_negative_node_count_is_refused_with_a_message_naming_the_option()
    {
        var ct = TestContext.Current.CancellationToken;
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kubeos-sandbox.dll"), "--nodes", "-1" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--nodes must be 0 or more", stderr);
    }
}
