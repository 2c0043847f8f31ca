using k8s;
using KubeOS.Operator.Tests.Sampling;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>
/// Watches Nodes and, on every watch event, counts the nodes carrying a label: the highest count seen is the most
/// nodes that were ever taken out of service at once, as any client of the API could have observed it.
/// </summary>
public sealed class LabelSampler : WatchSampler
{
    private readonly Dictionary<string, bool> _labelled = new(StringComparer.Ordinal);
    private readonly List<string> _assignmentOrder = [];

    private LabelSampler(IKubernetes client, string label) =>
        Watch(stop => client.CoreV1.WatchListNodeAsync(cancellationToken: stop), (type, node) =>
        {
            var name = node.Metadata.Name;
            var now = type != WatchEventType.Deleted && node.Metadata.Labels?.ContainsKey(label) == true;
            if (now && !(_labelled.TryGetValue(name, out var before) && before)) _assignmentOrder.Add(name);
            if (type == WatchEventType.Deleted) _labelled.Remove(name);
            else _labelled[name] = now;
            Events++;
            Max = Math.Max(Max, _labelled.Values.Count(v => v));
        });

    public static async Task<LabelSampler> StartAsync(IKubernetes client, string label, int expectedNodes)
    {
        var sampler = new LabelSampler(client, label);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(sampler.Known >= expectedNodes), "the node watch reported every node");
        return sampler;
    }

    public int Events { get; private set; }
    public int Max { get; private set; }
    private int Known { get { lock (Sync) return _labelled.Count; } }

    /// <summary>Nodes in the order the label first appeared on them.</summary>
    public IReadOnlyList<string> AssignmentOrder { get { lock (Sync) return _assignmentOrder.ToList(); } }
}
