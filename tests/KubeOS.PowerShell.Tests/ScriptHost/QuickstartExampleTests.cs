using System.Text.RegularExpressions;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.ScriptHost;

/// <summary>examples/quickstart.ps1 run as a user runs it, through kubeos-pwsh.</summary>
public sealed class QuickstartExampleTests
{
    [Fact]
    public void The_quickstart_starts_a_sandbox_shows_the_node_table_checks_a_manifest_and_stops_the_sandbox()
    {
        var manifest = Path.Combine(Path.GetTempPath(), $"quickstart-{Guid.NewGuid():N}.yaml");
        try
        {
            var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost,
                [Path.Combine(RepoPaths.Root, "examples", "quickstart.ps1"), "-Nodes", "4", "-ManifestPath", manifest]);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@"Name\s+Status\s+Roles\s+OSVersion\s+NodeStatus", run.StdOut);
            Assert.Matches(@"node-3\s+Ready\s+worker\s+KubeOS v1", run.StdOut);
            Assert.Contains("3 worker node(s) to upgrade, now running: KubeOS v1", run.StdOut);
            Assert.Contains("The manifest is valid.", run.StdOut);
            Assert.Contains("Sandbox 'quickstart' stopped.", run.StdOut);
            Assert.Contains("opstype: upgrade", File.ReadAllText(manifest));

            var kubeconfig = Regex.Match(run.StdOut, @"kubeconfig: (\S+)\)").Groups[1].Value;
            Assert.NotEqual("", kubeconfig);
            Assert.False(File.Exists(kubeconfig), "the sandbox's temporary kubeconfig is removed when it stops");
        }
        finally
        {
            File.Delete(manifest);
        }
    }
}
