using k8s;
using KubeOS.Api;
using KubeOS.Operator.Tests.Operator;
using KubeOS.Operator.Tests.Sampling;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// Watches Nodes and, on every watch event, counts the nodes that are out of service — cordoned or carrying an
/// operation label. The highest count seen is the most nodes any client of the API could have seen taken out at once.
/// </summary>
public sealed class OutOfServiceSampler : WatchSampler
{
    private readonly Dictionary<string, bool> _out = new(StringComparer.Ordinal);
    private readonly HashSet<string> _everCordoned = new(StringComparer.Ordinal);
    private int _maxValue;

    private OutOfServiceSampler(IKubernetes client) =>
        Watch(stop => client.CoreV1.WatchListNodeAsync(cancellationToken: stop), (type, node) =>
        {
            var name = node.Metadata.Name;
            if (type == WatchEventType.Deleted)
            {
                _out.Remove(name);
                return;
            }
            var labels = node.Metadata.Labels;
            var cordoned = node.Spec?.Unschedulable == true;
            if (cordoned) _everCordoned.Add(name);
            _out[name] = cordoned || labels?.ContainsKey(WellKnown.Labels.Upgrading) == true || labels?.ContainsKey(WellKnown.Labels.Configuring) == true;
            _maxValue = Math.Max(_maxValue, _out.Values.Count(v => v));
        });

    public static async Task<OutOfServiceSampler> StartAsync(IKubernetes client, int expectedNodes)
    {
        var sampler = new OutOfServiceSampler(client);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(sampler.Known >= expectedNodes), "the node watch reported every node");
        return sampler;
    }

    public int Max { get { lock (Sync) return _maxValue; } }
    public IReadOnlySet<string> EverCordoned { get { lock (Sync) return _everCordoned.ToHashSet(); } }
    private int Known { get { lock (Sync) return _out.Count; } }
}
