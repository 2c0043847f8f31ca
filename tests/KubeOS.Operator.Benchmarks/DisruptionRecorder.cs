using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Sandbox.Simulation.Agent;

namespace KubeOS.Operator.Benchmarks;

/// <summary>
/// Watches every Node and records, per node, its disruption window (cordon → uncordon) and its slot window (labelled
/// upgrading → label removed: the time it holds one of maxunavailable's places). Every watch event is a sample.
/// </summary>
public sealed class DisruptionRecorder : IAsyncDisposable
{
    private readonly object _sync = new();
    private readonly Dictionary<string, (bool Cordoned, bool Labelled)> _state = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _cordonedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _labelledAt = new(StringComparer.Ordinal);
    private readonly List<Window> _disruptions = [];
    private readonly List<Window> _slots = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    public sealed record Window(string Node, DateTimeOffset From, DateTimeOffset To)
    {
        public TimeSpan Length => To - From;
    }

    public DisruptionRecorder(IKubernetes client) => _watch = Task.Run(() => WatchAsync(client));

    public IReadOnlyList<Window> Disruptions { get { lock (_sync) return _disruptions.ToList(); } }
    public IReadOnlyList<Window> Slots { get { lock (_sync) return _slots.ToList(); } }

    private async Task WatchAsync(IKubernetes client)
    {
        await foreach (var (type, node) in client.CoreV1.WatchListNodeAsync(cancellationToken: _stop.Token))
        {
            if (type == WatchEventType.Deleted) continue;
            var now = DateTimeOffset.UtcNow;
            lock (_sync)
            {
                var name = node.Metadata.Name;
                var cordoned = node.Spec?.Unschedulable == true;
                var labelled = node.Metadata.Labels?.ContainsKey(WellKnown.Labels.Upgrading) == true;
                var (wasCordoned, wasLabelled) = _state.GetValueOrDefault(name);
                _state[name] = (cordoned, labelled);
                Track(name, cordoned, wasCordoned, _cordonedAt, _disruptions, now);
                Track(name, labelled, wasLabelled, _labelledAt, _slots, now);
            }
        }
    }

    private static void Track(string node, bool now, bool before, Dictionary<string, DateTimeOffset> openedAt, List<Window> closed, DateTimeOffset at)
    {
        if (now && !before) openedAt[node] = at;
        if (!now && before && openedAt.Remove(node, out var from)) closed.Add(new Window(node, from, at));
    }

    /// <summary>How many windows hold (overlap) a download of their node's agent.</summary>
    public static int WithDownload(IEnumerable<Window> windows, IReadOnlyDictionary<string, SimulatedNodeAgent> agents) =>
        windows.Count(w => agents.TryGetValue(w.Node, out var agent) &&
                           agent.Calls.Any(c => c.Kind == AgentCallKinds.Prepare && c.StartedAt < w.To && w.From < c.FinishedAt));

    /// <summary>The q-quantile (0..1) of the window lengths, nearest rank.</summary>
    public static TimeSpan Quantile(IEnumerable<Window> windows, double q)
    {
        var sorted = windows.Select(w => w.Length).Order().ToList();
        if (sorted.Count == 0) return TimeSpan.Zero;
        var rank = (int)Math.Ceiling(q * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _watch; }
        catch (OperationCanceledException) { }
        catch (HttpRequestException) { }
        _stop.Dispose();
    }
}
