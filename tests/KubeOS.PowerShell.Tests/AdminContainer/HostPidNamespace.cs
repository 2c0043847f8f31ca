using System.Diagnostics;
using System.Runtime.Versioning;

namespace KubeOS.PowerShell.Tests.AdminContainer;

/// <summary>
/// The "host" the admin containers run on. The test runner cannot open /proc/1/ns here, so the host is a new PID
/// namespace whose init (a sleep) otherwise shares the runner's mount, UTS, IPC and network namespaces: nsenter -t 1
/// from a container that shares this PID namespace lands exactly in the runner's namespaces. Killing the init ends
/// every process of the namespace, the containers' sshd included.
/// </summary>
[SupportedOSPlatform("linux")] // namespaces, unshare and Unix file modes
public sealed class HostPidNamespace : IDisposable
{
    private readonly Process _unshare;

    public HostPidNamespace()
    {
        _unshare = Process.Start(new ProcessStartInfo("unshare", ["--pid", "--fork", "--kill-child", "sleep", "infinity"])
        {
            // unshare complains on stderr when its init is killed at the end; that is the intended way to stop it.
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true,
        })!;
        _unshare.ErrorDataReceived += (_, _) => { };
        _unshare.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var children = File.ReadAllText($"/proc/{_unshare.Id}/task/{_unshare.Id}/children").Trim();
            if (children.Length > 0)
            {
                InitPid = int.Parse(children.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                break;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("unshare --pid did not start its init");
            Thread.Sleep(20);
        }
    }

    /// <summary>The init's pid as the runner sees it.</summary>
    public int InitPid { get; }

    public string PidNamespace => Run.Namespace(InitPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "pid");

    public void Dispose()
    {
        try
        {
            Process.GetProcessById(InitPid).Kill();
        }
        catch (ArgumentException)
        {
        }
        _unshare.WaitForExit(TimeSpan.FromSeconds(5));
        _unshare.Dispose();
    }
}
