using System.Diagnostics;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.PowerShell.Tests.Cluster;

/// <summary>
/// One engine session with a sandbox of <see cref="NodeCount"/> nodes started by Start-KubeOSSandbox, shared by the
/// tests of a class. Disposing the session closes its runspace, which stops the sandbox.
/// </summary>
public class SandboxSessionFixture : IDisposable
{
    public const int NodeCount = 3;

    // These tests write OSInstances themselves; a running operator and proxies would interfere.
    public SandboxSessionFixture()
        : this("-WithoutOperator")
    {
    }

    /// <param name="startArguments">More arguments for Start-KubeOSSandbox; "" starts KubeOS's operator and proxies.</param>
    protected SandboxSessionFixture(string startArguments)
    {
        Start = Session.Run($"Start-KubeOSSandbox -Nodes {NodeCount} -Name fixture {startArguments}");
        if (Start.Terminating is not null || Start.Errors.Count > 0)
        {
            Session.Dispose();
            throw new InvalidOperationException($"Start-KubeOSSandbox failed: {Start}");
        }
        var info = Start.Output.Single();
        Kubeconfig = (string)info.Properties["KubeconfigPath"].Value;
        ProcessId = (int)info.Properties["ProcessId"].Value;
        Kubectl = new Kubectl(Kubeconfig);
    }

    public PowerShellSession Session { get; } = new();

    /// <summary>What Start-KubeOSSandbox produced (output, progress, verbose).</summary>
    public ScriptResult Start { get; }

    public string Kubeconfig { get; }

    public int ProcessId { get; }

    public Kubectl Kubectl { get; }

    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Session.Dispose();
        GC.SuppressFinalize(this);
    }
}
