using System.Diagnostics;
using KubeOS.Agent.Upgrade;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Support;

/// <summary>os-agent as a separate process over a loop disk, so a test can kill it with SIGKILL.</summary>
public sealed class AgentProcess : IDisposable
{
    private readonly Process _process;

    public AgentProcess(LoopDisk disk)
    {
        SocketPath = Path.Combine(disk.StateDir, "os-agent.sock");
        var system = disk.System;
        var apphost = Path.Combine(Path.GetDirectoryName(typeof(NodeOperations).Assembly.Location)!, "os-agent");
        var info = new ProcessStartInfo(apphost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "--socket", SocketPath, "--state-dir", system.StateDir, "--grubenv", system.GrubEnvPath,
                     "--cmdline", system.CmdlinePath, "--running-root", "", "--certs-dir", system.CertsDir,
                     "--reboot-command", string.Join(' ', system.RebootCommand),
                 })
            info.ArgumentList.Add(arg);
        if (File.Exists(SocketPath))
            File.Delete(SocketPath);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Output.Add(e.Data ?? "");
        _process.ErrorDataReceived += (_, e) => Output.Add(e.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(SocketPath))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException("os-agent did not start: " + string.Join('\n', Output));
            Thread.Sleep(50);
        }
        Client = new AgentClient(SocketPath);
    }

    public string SocketPath { get; }
    public AgentClient Client { get; }
    public List<string> Output { get; } = [];

    /// <summary>SIGKILL: no handler, no clean-up, as a crash or the OOM killer would end it.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            KillHard();
        _process.Dispose();
    }
}
