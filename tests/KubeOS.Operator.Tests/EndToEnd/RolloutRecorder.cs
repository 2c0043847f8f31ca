using k8s;
using KubeOS.Api;
using KubeOS.Operator.Tests.Operator;
using KubeOS.Operator.Tests.Sampling;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// Watches Nodes and records, on every watch event, how many are out of service (cordoned or carrying an operation
/// label) in all and per value of one label (a zone), and the order and time in which nodes first got an operation
/// label — what a staged or topology-limited rollout must show to any client of the API.
/// </summary>
public sealed class RolloutRecorder : WatchSampler
{
    private readonly Dictionary<string, (bool Out, string? Group)> _nodes = new(StringComparer.Ordinal);
    private readonly List<(string Node, DateTimeOffset At)> _starts = [];
    private int _max;
    private int _maxInGroup;

    private RolloutRecorder(IKubernetes client, string groupKey) =>
        Watch(stop => client.CoreV1.WatchListNodeAsync(cancellationToken: stop), (type, node) =>
        {
            var name = node.Metadata.Name;
            if (type == WatchEventType.Deleted)
            {
                _nodes.Remove(name);
                return;
            }
            var labels = node.Metadata.Labels;
            var labelled = labels?.ContainsKey(WellKnown.Labels.Upgrading) == true || labels?.ContainsKey(WellKnown.Labels.Configuring) == true;
            if (labelled && _starts.All(s => s.Node != name)) _starts.Add((name, DateTimeOffset.UtcNow));
            _nodes[name] = (labelled || node.Spec?.Unschedulable == true, labels is not null && labels.TryGetValue(groupKey, out var g) ? g : null);
            _max = Math.Max(_max, _nodes.Values.Count(v => v.Out));
            var perGroup = _nodes.Values.Where(v => v.Out && v.Group is not null).GroupBy(v => v.Group).Select(g => g.Count()).DefaultIfEmpty().Max();
            _maxInGroup = Math.Max(_maxInGroup, perGroup);
        });

    public static async Task<RolloutRecorder> StartAsync(IKubernetes client, int expectedNodes, string groupKey = "topology.kubernetes.io/zone")
    {
        var recorder = new RolloutRecorder(client, groupKey);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(recorder.Known >= expectedNodes), "the node watch reported every node");
        return recorder;
    }

    public int Max { get { lock (Sync) return _max; } }

    /// <summary>The most nodes out at once that share a value of the group label.</summary>
    public int MaxInGroup { get { lock (Sync) return _maxInGroup; } }

    /// <summary>Nodes in the order they first carried an operation label, with when the watch saw it.</summary>
    public IReadOnlyList<(string Node, DateTimeOffset At)> Starts { get { lock (Sync) return _starts.ToList(); } }

    private int Known { get { lock (Sync) return _nodes.Count; } }
}
