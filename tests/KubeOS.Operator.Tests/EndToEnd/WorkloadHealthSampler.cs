using k8s;
using KubeOS.Operator.Tests.Operator;
using KubeOS.Operator.Tests.Sampling;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// Watches the pods of the seeded workloads (label <c>app</c>) and, on every watch event, counts each workload's Ready
/// pods. The lowest count seen shows whether a PodDisruptionBudget was ever overrun, as any client could have seen it.
/// </summary>
public sealed class WorkloadHealthSampler : WatchSampler
{
    private readonly Dictionary<string, (string App, bool Ready)> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lowest = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);

    private WorkloadHealthSampler(IKubernetes client, string ns) =>
        Watch(stop => client.CoreV1.WatchListNamespacedPodAsync(ns, cancellationToken: stop), (type, pod) =>
        {
            if (pod.Metadata.Labels?.TryGetValue("app", out var app) != true) return;
            var uid = pod.Metadata.Uid;
            if (type == WatchEventType.Deleted)
            {
                _pods.Remove(uid);
                _deleted.Add(uid);
            }
            else
            {
                var ready = pod.Metadata.DeletionTimestamp is null &&
                            pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
                _pods[uid] = (app!, ready);
            }
            foreach (var group in _pods.Values.Append((App: app!, Ready: false)).GroupBy(p => p.App))
            {
                var count = group.Count(p => p.Ready);
                _lowest[group.Key] = _lowest.TryGetValue(group.Key, out var low) ? Math.Min(low, count) : count;
            }
        });

    public static async Task<WorkloadHealthSampler> StartAsync(IKubernetes client, string ns, int expectedReady)
    {
        var sampler = new WorkloadHealthSampler(client, ns);
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(sampler.ReadyNow >= expectedReady), $"the watch saw {expectedReady} Ready workload pods");
        lock (sampler.Sync) sampler._lowest.Clear();
        return sampler;
    }

    /// <summary>Per workload, the fewest Ready pods seen since the sampler started.</summary>
    public IReadOnlyDictionary<string, int> Lowest { get { lock (Sync) return new Dictionary<string, int>(_lowest); } }

    /// <summary>UIDs of pods that were deleted while watched.</summary>
    public IReadOnlySet<string> Deleted { get { lock (Sync) return _deleted.ToHashSet(); } }

    private int ReadyNow { get { lock (Sync) return _pods.Values.Count(p => p.Ready); } }
}
