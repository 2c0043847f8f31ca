using System.Diagnostics;

namespace KubeOS.VmEndToEnd.Tests.Support;

/// <summary>
/// Follows the guest's Node and OSInstance through two <c>kubectl get --watch</c> streams while a step runs, so the
/// step's phases can be timed and what happened on the way (cordon, reboots, phases) asserted afterwards. Two
/// long-lived watches instead of a kubectl process per sample leave the host's cores to the emulated guest.
/// </summary>
public sealed class NodeWatcher : IAsyncDisposable
{
    private readonly string _kubeconfig;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _watches;
    private readonly object _gate = new();

    public NodeWatcher(string kubeconfig, string node, string startBootId)
    {
        _kubeconfig = kubeconfig;
        LastBootId = startBootId;
        _watches =
        [
            Task.Run(() => FollowAsync($"node {node}", "{.spec.unschedulable}|{.status.nodeInfo.bootID}", OnNode)),
            Task.Run(() => FollowAsync($"osinstance {node} -n default", "{.status.phase}", OnInstance)),
        ];
    }

    /// <summary>Phase → seconds since the start when it was first seen.</summary>
    public Dictionary<string, double> PhaseFirstSeen { get; } = [];
    /// <summary>Seconds since the start of each bootID change.</summary>
    public List<double> Reboots { get; } = [];
    public bool SawCordoned { get; private set; }
    public string LastBootId { get; private set; }

    public double? Seen(string phase)
    {
        lock (_gate) return PhaseFirstSeen.TryGetValue(phase, out var t) ? t : null;
    }

    private void OnNode(string state)
    {
        var now = _clock.Elapsed.TotalSeconds;
        var (unschedulable, boot) = (state.Split('|')[0], state.Split('|')[^1]);
        lock (_gate)
        {
            if (unschedulable == "true") SawCordoned = true;
            if (boot.Length > 0 && boot != LastBootId)
            {
                LastBootId = boot;
                Reboots.Add(now);
            }
        }
    }

    private void OnInstance(string phase)
    {
        var now = _clock.Elapsed.TotalSeconds;
        lock (_gate)
        {
            if (phase.Length > 0) PhaseFirstSeen.TryAdd(phase, now);
        }
    }

    /// <summary>
    /// One object's states as kubectl streams them (the current one first), a line each, handed on the moment the line
    /// arrives; the stream is re-opened when it ends.
    /// </summary>
    private async Task FollowAsync(string what, string fields, Action<string> onState)
    {
        while (!_stop.IsCancellationRequested)
        {
            var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in $"--kubeconfig {_kubeconfig} get {what} --watch".Split(' ')) info.ArgumentList.Add(a);
            info.ArgumentList.Add("-o");
            info.ArgumentList.Add($"jsonpath={fields}{{\"\\n\"}}");
            using var p = Process.Start(info)!;
            _ = p.StandardError.ReadToEndAsync();
            try
            {
                while (await p.StandardOutput.ReadLineAsync(_stop.Token) is { } line) onState(line.Trim());
            }
            catch (Exception)
            {
                // Stopped, or a broken stream, which is re-opened below: the states it missed are in the new one's first.
            }
            finally
            {
                if (!p.HasExited) p.Kill();
                await p.WaitForExitAsync();
            }
            try { await Task.Delay(1000, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_watches);
        _stop.Dispose();
    }
}
