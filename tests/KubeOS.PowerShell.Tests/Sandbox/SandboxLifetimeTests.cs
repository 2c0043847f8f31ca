using System.Diagnostics;
using KubeOS.PowerShell.Tests.Cluster;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Sandbox;

/// <summary>A sandbox nobody stops ends with the PowerShell process that started it.</summary>
public sealed class SandboxLifetimeTests
{
    [Fact]
    public void A_sandbox_left_running_stops_when_the_host_process_exits()
    {
        var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost,
            ["-Module", RepoPaths.ModuleManifest, "-Command", "$s = Start-KubeOSSandbox -Nodes 1; \"pid=$($s.ProcessId)\""]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var pid = int.Parse(run.StdOut.Split('\n').Single(l => l.StartsWith("pid=", StringComparison.Ordinal))["pid=".Length..]);
        var clock = Stopwatch.StartNew();
        while (SandboxSessionFixture.IsRunning(pid) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(100);
        }
        Assert.False(SandboxSessionFixture.IsRunning(pid), $"sandbox process {pid} outlived its host");
    }
}
