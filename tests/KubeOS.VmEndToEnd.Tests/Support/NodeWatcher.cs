using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KubeOS.VmEndToEnd.Tests.Support;

/// <summary>
/// Samples the guest's Node and OSInstance through kubectl once a second while a step runs, so the step's phases can
/// be timed and what happened on the way (cordon, reboots, phases) asserted afterwards.
/// </summary>
public sealed class NodeWatcher : IAsyncDisposable
{
    private readonly string _kubeconfig;
    private readonly string _node;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;
    private readonly object _gate = new();

    public NodeWatcher(string kubeconfig, string node, string startBootId)
    {
        _kubeconfig = kubeconfig;
        _node = node;
        LastBootId = startBootId;
        _loop = Task.Run(LoopAsync);
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

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var node = await GetAsync($"get node {_node}");
                var osi = await GetAsync($"get osinstance {_node} -n default");
                var now = _clock.Elapsed.TotalSeconds;
                lock (_gate)
                {
                    if (node?["spec"]?["unschedulable"]?.GetValue<bool>() == true) SawCordoned = true;
                    var boot = (string?)node?["status"]?["nodeInfo"]?["bootID"];
                    if (!string.IsNullOrEmpty(boot) && boot != LastBootId)
                    {
                        LastBootId = boot;
                        Reboots.Add(now);
                    }
                    if ((string?)osi?["status"]?["phase"] is { } phase) PhaseFirstSeen.TryAdd(phase, now);
                }
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                // A sample that failed is skipped; the next one a second later counts.
            }
            try { await Task.Delay(1000, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private async Task<JsonNode?> GetAsync(string what)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in $"--kubeconfig {_kubeconfig} {what} -o json".Split(' ')) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return p.ExitCode == 0 ? JsonNode.Parse(output) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
