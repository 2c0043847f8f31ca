using System.Text.RegularExpressions;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.ScriptHost;

/// <summary>examples/quickstart.ps1 run as a user runs it, through kubeos-pwsh.</summary>
public sealed class QuickstartExampleTests
{
    [Fact]
    public void The_quickstart_starts_a_sandbox_shows_the_node_table_checks_a_manifest_upgrades_rolls_back_and_stops_the_sandbox()
    {
        var manifest = Path.Combine(Path.GetTempPath(), $"quickstart-{Guid.NewGuid():N}.yaml");
        try
        {
            var run = ProcessRunner.RunDotnet(RepoPaths.ScriptHost,
                [Path.Combine(RepoPaths.Root, "examples", "quickstart.ps1"), "-Nodes", "4", "-ManifestPath", manifest],
                // An upgrade and a rollback of three simulated nodes take seconds, more while other tests share the CPU.
                timeout: TimeSpan.FromSeconds(180));

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@"Name\s+Status\s+Roles\s+OSVersion\s+NodeStatus", run.StdOut);
            Assert.Matches(@"node-3\s+Ready\s+worker\s+KubeOS v1", run.StdOut);
            Assert.Contains("3 worker node(s) to upgrade, now running: KubeOS v1", run.StdOut);
            Assert.Contains("The manifest is valid.", run.StdOut);
            // The upgrade and the rollback: progress, the rollout table, the workers' versions in the node table.
            Assert.Matches(@"Upgrading default/kubeos to KubeOS v2: \d of 3 node\(s\) done", run.StdErr);
            Assert.Matches(@"kubeos\s+upgrade\s+KubeOS v2\s+no-label\s+Complete\s+3/3", run.StdOut);
            Assert.Matches(@"node-3\s+Ready\s+worker\s+KubeOS v2", run.StdOut);
            Assert.Contains("Upgraded: all 3 worker node(s) run KubeOS v2.", run.StdOut);
            Assert.Matches(@"kubeos\s+rollback\s+KubeOS v1\s+no-label\s+Complete\s+3/3", run.StdOut);
            Assert.Contains("Rolled back: all 3 worker node(s) run KubeOS v1 again.", run.StdOut);
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
