using System.Runtime.Versioning;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.AdminContainer;

/// <summary>
/// Enter-KubeOSAdminContainer driven from a pseudo-terminal: the script host runs the cmdlet on a terminal made by
/// script(1), the test types commands into the remote shell and reads what the shell printed.
/// </summary>
[SupportedOSPlatform("linux")] // namespaces, unshare and Unix file modes
[Collection(AdminContainerCollection.Name)]
public sealed class EnterKubeOSAdminContainerTests(AdminContainerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private TerminalSession Enter(string node, int port, string extra = "") =>
        new($"dotnet '{RepoPaths.ScriptHost}' -Module '{RepoPaths.ModuleManifest}' -Command Enter-KubeOSAdminContainer -Node {node} "
            + $"-Port {port} -Timeout 30 -Kubeconfig '{fixture.Kubeconfig}' {extra}");

    [Fact]
    public void An_interactive_shell_runs_in_the_host_namespaces_and_the_pod_goes_when_it_exits()
    {
        var port = Run.FreePort();
        using var terminal = Enter("kubeos-a", port);

        terminal.WaitFor(@"[#$] ?$", Patience);
        terminal.Type("unset HISTFILE; readlink /proc/self/ns/mnt /proc/self/ns/uts /proc/self/ns/pid; tty; echo marker-$((6*7))\n");
        var shown = terminal.WaitFor(@"(mnt:\[\d+\])\s*\r?\n(uts:\[\d+\])\s*\r?\n(pid:\[\d+\])\s*\r?\n(/dev/pts/\d+)\s*\r?\nmarker-42", Patience);
        terminal.Type("exit\n");
        var exitCode = terminal.WaitForExit(Patience);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{terminal.Screen}\n{fixture.KubeletReport()}");
        Assert.Equal(Run.Namespace("self", "mnt"), shown.Groups[1].Value);
        Assert.Equal(Run.Namespace("self", "uts"), shown.Groups[2].Value);
        Assert.Equal(fixture.Host.PidNamespace, shown.Groups[3].Value);
        var container = Assert.Single(fixture.Kubelet.Started, c => c.Value.Log.Contains($"port {port}", StringComparison.Ordinal));
        Assert.NotEqual(Run.Namespace("self", "mnt"), container.Value.MainNamespaces["mnt"]);
        Assert.Empty(fixture.Leftovers());
        Assert.True(fixture.ContainerStopped(container.Key));
    }

    [Fact]
    public void Keep_leaves_the_pod_and_Remove_KubeOSAdminContainer_removes_it()
    {
        var port = Run.FreePort();
        using (var terminal = Enter("kubeos-b", port, "-Keep"))
        {
            terminal.WaitFor(@"[#$] ?$", Patience);
            terminal.Type("unset HISTFILE; hostname; exit\n");
            Assert.Equal(0, terminal.WaitForExit(Patience));
            Assert.Contains(Environment.MachineName, terminal.Screen);
        }
        var pod = Assert.Single(fixture.Kubelet.Started, c => c.Value.Log.Contains($"port {port}", StringComparison.Ordinal)).Key;
        Assert.Equal([$"pod/{pod}", $"secret/{pod}"], fixture.Leftovers().Order());

        var whatIf = fixture.Session.Run("Remove-KubeOSAdminContainer -Node kubeos-b -WhatIf");
        Assert.Contains($"What if: Performing the operation \"Remove admin container\" on target \"pod kube-system/{pod} (node kubeos-b)\".", whatIf.HostText);
        Assert.Equal(2, fixture.Leftovers().Count);

        var other = fixture.Session.Run("Remove-KubeOSAdminContainer -Node kubeos-a");
        Assert.Empty(other.Errors);
        Assert.Equal(2, fixture.Leftovers().Count);

        var removed = fixture.Session.Run("Get-KubeOSNode -Name kubeos-b | Remove-KubeOSAdminContainer -Verbose");
        Assert.Empty(removed.Errors);
        Assert.Empty(fixture.Leftovers());
        Assert.Contains(removed.Verbose, v => v.Message == $"Removed the pod kube-system/{pod} (node kubeos-b).");
        Assert.True(fixture.ContainerStopped(pod));
    }
}
