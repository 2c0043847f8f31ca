using k8s;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Operator.Tests.Operator;
using KubeOS.Operator.Tests.Sampling;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// Watches Nodes and OSInstances and, on every watch event, records when each node was cordoned and uncordoned (its
/// disruption windows), the first cordon of the run, and the most nodes seen in pre-staging state Staging at once.
/// </summary>
public sealed class DisruptionSampler : WatchSampler
{
    private readonly Dictionary<string, bool> _cordoned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _openSince = new(StringComparer.Ordinal);
    private readonly List<(string Node, DateTimeOffset From, DateTimeOffset? To)> _windows = [];
    private readonly Dictionary<string, string?> _staging = new(StringComparer.Ordinal);
    private int _maxStaging;

    private DisruptionSampler(IKubernetes client)
    {
        Watch(stop => client.CoreV1.WatchListNodeAsync(cancellationToken: stop), (type, node) =>
        {
            if (type == WatchEventType.Deleted) return;
            var now = DateTimeOffset.UtcNow;
            var name = node.Metadata.Name;
            var cordoned = node.Spec?.Unschedulable == true;
            var was = _cordoned.GetValueOrDefault(name);
            _cordoned[name] = cordoned;
            if (cordoned && !was) _openSince[name] = now;
            if (!cordoned && was && _openSince.Remove(name, out var from)) _windows.Add((name, from, now));
        });
        Watch(stop => client.CustomObjects.WatchListNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version,
            WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, cancellationToken: stop), (_, raw) =>
        {
            var osi = ManifestSerializer.FromJson<OSInstance>(KubernetesJson.Serialize(raw));
            _staging[osi.Metadata!.Name!] = osi.Status?.Prestage?.State;
            _maxStaging = Math.Max(_maxStaging, _staging.Values.Count(s => s == PrestageStates.Staging));
        });
    }

    public static async Task<DisruptionSampler> StartAsync(IKubernetes client, int expectedNodes)
    {
        var sampler = new DisruptionSampler(client);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(sampler.Known >= expectedNodes), "the node watch reported every node");
        return sampler;
    }

    private int Known { get { lock (Sync) return _cordoned.Count; } }

    /// <summary>Every cordon → uncordon window seen (To null: still cordoned).</summary>
    public IReadOnlyList<(string Node, DateTimeOffset From, DateTimeOffset? To)> Windows
    {
        get
        {
            lock (Sync)
                return [.. _windows, .. _openSince.Select(o => (o.Key, o.Value, (DateTimeOffset?)null))];
        }
    }

    public DateTimeOffset? FirstCordon { get { lock (Sync) return Windows.Count == 0 ? null : Windows.Min(w => w.From); } }

    public int MaxStaging { get { lock (Sync) return _maxStaging; } }
}
