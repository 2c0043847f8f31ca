using k8s;
using KubeOS.Api;
using KubeOS.Operator.Tests.Sampling;
using KubeOS.Sandbox.Simulation.Agent;

namespace KubeOS.Operator.Benchmarks;

/// <summary>
/// Watches every Node and records, per node, its disruption window (cordon → uncordon) and its slot window (labelled
/// upgrading → label removed: the time it holds one of maxunavailable's places). Every watch event is a sample.
/// </summary>
public sealed class DisruptionRecorder : WatchSampler
{
    private readonly Dictionary<string, (bool Cordoned, bool Labelled)> _state = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _cordonedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _labelledAt = new(StringComparer.Ordinal);
    private readonly List<Window> _disruptions = [];
    private readonly List<Window> _slots = [];

    public sealed record Window(string Node, DateTimeOffset From, DateTimeOffset To)
    {
        public TimeSpan Length => To - From;
    }

    public DisruptionRecorder(IKubernetes client) =>
        Watch(stop => client.CoreV1.WatchListNodeAsync(cancellationToken: stop), (type, node) =>
        {
            if (type == WatchEventType.Deleted) return;
            var now = DateTimeOffset.UtcNow;
            var name = node.Metadata.Name;
            var cordoned = node.Spec?.Unschedulable == true;
            var labelled = node.Metadata.Labels?.ContainsKey(WellKnown.Labels.Upgrading) == true;
            var (wasCordoned, wasLabelled) = _state.GetValueOrDefault(name);
            _state[name] = (cordoned, labelled);
            Track(name, cordoned, wasCordoned, _cordonedAt, _disruptions, now);
            Track(name, labelled, wasLabelled, _labelledAt, _slots, now);
        });

    public IReadOnlyList<Window> Disruptions { get { lock (Sync) return _disruptions.ToList(); } }
    public IReadOnlyList<Window> Slots { get { lock (Sync) return _slots.ToList(); } }

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
}
