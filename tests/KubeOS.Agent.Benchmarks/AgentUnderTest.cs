using System.Diagnostics;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Benchmarks;

/// <summary>os-agent as a process over the bench disk, with its resident memory read from /proc.</summary>
public sealed class AgentUnderTest : IDisposable
{
    private readonly Process _process;

    public AgentUnderTest(string path, BenchDisk disk)
    {
        var socket = Path.Combine(disk.Dir, "state", "os-agent.sock");
        var info = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--socket", socket, "--state-dir", Path.Combine(disk.Dir, "state"), "--grubenv", disk.GrubEnv,
                     "--cmdline", disk.Cmdline, "--running-root", "", "--reboot-command", "true" })
            info.ArgumentList.Add(arg);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(socket))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException("os-agent did not start");
            Thread.Sleep(20);
        }
        Client = new AgentClient(socket);
    }

    public AgentClient Client { get; }

    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        return 0;
    }

    public RssSampler SamplePeakRss() => new(this);

    /// <summary>User and system CPU seconds the process has used (from /proc/pid/stat, 100 ticks per second).</summary>
    public double CpuSeconds() => UserCpuSeconds() + SystemCpuSeconds();

    public double UserCpuSeconds() => StatTicks(11) / 100.0;

    /// <summary>Kernel time: socket receive, page-cache copies and any writeback throttling of the writer.</summary>
    public double SystemCpuSeconds() => StatTicks(12) / 100.0;

    private long StatTicks(int field)
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[field]);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    public sealed class RssSampler
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<long> _task;

        public RssSampler(AgentUnderTest agent) => _task = Task.Run(async () =>
        {
            long peak = 0;
            while (!_stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, agent.RssBytes());
                await Task.Delay(20);
            }
            return peak;
        });

        public async Task<long> StopAsync()
        {
            _stop.Cancel();
            return await _task;
        }
    }
}
