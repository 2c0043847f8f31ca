using System.Diagnostics;

namespace KubeOS.Sandbox.Tests;

/// <summary>kubeos-sandbox as its own process, the way the PowerShell module starts it.</summary>
public sealed class StandaloneProcessTests
{
    [Fact]
    public async Task The_process_prints_the_kubeconfig_path_first_serves_nodes_and_exits_when_stdin_closes()
    {
        var ct = TestContext.Current.CancellationToken;
        var dll = Path.Combine(AppContext.BaseDirectory, "kubeos-sandbox.dll");
        Assert.True(File.Exists(dll), $"{dll} is built with the tests");
        var dir = Directory.CreateTempSubdirectory("sandbox-process-").FullName;
        var kubeconfig = Path.Combine(dir, "config");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "--nodes", "3", "--kubeconfig", kubeconfig }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.Equal($"kubeconfig: {kubeconfig}", first);

            var kubectl = new Kubectl(kubeconfig);
            var nodes = (await kubectl.RunAsync("get nodes -o name")).Succeeded();
            Assert.Equal(["node/node-0", "node/node-1", "node/node-2"], nodes.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

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

    [Fact]
    public async Task Zero_nodes_gives_an_empty_cluster()
    {
        var ct = TestContext.Current.CancellationToken;
        var dll = Path.Combine(AppContext.BaseDirectory, "kubeos-sandbox.dll");
        var dir = Directory.CreateTempSubdirectory("sandbox-empty-").FullName;
        var kubeconfig = Path.Combine(dir, "config");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "--nodes", "0", "--kubeconfig", kubeconfig }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.Equal($"kubeconfig: {kubeconfig}", first);
            var nodes = (await new Kubectl(kubeconfig).RunAsync("get nodes -o name")).Succeeded();
            Assert.Equal("", nodes.Stdout.Trim());
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

    [Fact]
    public async Task SIGTERM_stops_the_process_cleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kubeos-sandbox.dll"), "--nodes", "1" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
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
