using KubeOS.Api.Models;
using KubeOS.Operator.Cluster;
using KubeOS.Operator.Rollout;
using Prometheus;

namespace KubeOS.Operator.Metrics;

/// <summary>
/// The operator's Prometheus metrics, each derived from what the cluster records rather than from this process's
/// memory, so a restarted or newly elected operator reports the same fleet:
/// <list type="bullet">
/// <item><c>kubeos_nodes</c>: OSInstances by status.phase, recounted every pass.</item>
/// <item><c>kubeos_node_operation_duration_seconds</c>: from status.operation.startedat to the phasestartedat of its
/// Succeeded/Failed phase — both stamped by the node's own os-proxy, so no clock skew between the operator and the node
/// enters, and an operation that began under a previous operator is measured from its real start. The timestamps have
/// whole-second precision (metav1.Time), ample for operations that take minutes.</item>
/// <item><c>kubeos_rollout_duration_seconds</c>: from the earliest start to the latest end of the operations of one OS
/// target, observed when the OS's nodes are all done or failed.</item>
/// </list>
/// Drain duration is measured by os-proxy, where the drain runs (<c>kubeos_proxy_drain_duration_seconds</c>): the
/// OSInstance keeps no record of a failed drain's start, so a figure derived here would silently leave out exactly the
/// drains that matter. A transition counts once, when this process sees it happen; what was already finished when it
/// started observing is not counted again.
/// </summary>
public sealed class OperatorMetrics
{
    private static readonly double[] DurationBuckets = Histogram.ExponentialBuckets(1, 2, 14); // 1 s … ~2.3 h

    private readonly Gauge _nodes;
    private readonly Histogram _nodeDuration;
    private readonly Histogram _rolloutDuration;
    private readonly Counter _apiRequests;
    private readonly Dictionary<string, string> _phases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _complete = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public OperatorMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _nodes = factory.CreateGauge("kubeos_nodes", "OSInstances by status.phase (nodes where os-proxy runs).", "phase");
        _nodeDuration = factory.CreateHistogram("kubeos_node_operation_duration_seconds",
            "Duration of one node's upgrade, rollback or config, from its start to Succeeded or Failed, as os-proxy recorded them.",
            new HistogramConfiguration { LabelNames = ["opstype", "outcome"], Buckets = DurationBuckets });
        _rolloutDuration = factory.CreateHistogram("kubeos_rollout_duration_seconds",
            "Duration of one OS target's rollout, from its first node's start to its last node's end.",
            new HistogramConfiguration { LabelNames = ["opstype", "outcome"], Buckets = DurationBuckets });
        _apiRequests = factory.CreateCounter("kubeos_operator_api_requests_total",
            "Requests of the operator to the API server, by HTTP method (WATCH: a watch opened).", "method");
    }

    /// <summary>One request to the API server (see <see cref="ApiRequestCounter"/>).</summary>
    public void ApiRequest(string method) => _apiRequests.WithLabels(method).Inc();

    /// <summary>Requests counted so far, all methods.</summary>
    public double ApiRequests => ApiMethods.Sum(m => _apiRequests.WithLabels(m).Value);

    private static readonly string[] ApiMethods = ["GET", "WATCH", "POST", "PUT", "PATCH", "DELETE"];

    public CollectorRegistry Registry { get; }

    /// <summary>Forget what was seen: a new leadership term first looks at the cluster as it is, counting nothing twice.</summary>
    public void StartObserving()
    {
        lock (_gate)
        {
            _phases.Clear();
            _complete.Clear();
        }
    }

    /// <summary>Recounts phases and observes the node operations that ended since the last pass.</summary>
    public void ObserveNodes(ClusterSnapshot snapshot)
    {
        lock (_gate)
        {
            var counts = NodePhases.All.ToDictionary(p => p, _ => 0, StringComparer.Ordinal);
            foreach (var (name, osi) in snapshot.Instances)
            {
                var phase = osi.Status?.Phase is { Length: > 0 } p ? p : NodePhases.Idle;
                counts[phase] = counts.GetValueOrDefault(phase) + 1;
                if (_phases.TryGetValue(name, out var before) && before != phase && !NodePhases.IsTerminal(before) && NodePhases.IsTerminal(phase) &&
                    osi.Status?.Operation is { StartedAt: { } start, PhaseStartedAt: { } end } op)
                {
                    _nodeDuration.WithLabels(op.OpsType ?? "", Outcome(phase)).Observe(Math.Max(0, (end - start).TotalSeconds));
                }
                _phases[name] = phase;
            }
            foreach (var gone in _phases.Keys.Where(k => !snapshot.Instances.ContainsKey(k)).ToList()) _phases.Remove(gone);
            foreach (var (phase, count) in counts) _nodes.WithLabels(phase).Set(count);
        }
    }

    /// <summary>Observes the rollout of an OS the first time this process sees it complete after seeing it incomplete.</summary>
    public void ObserveRollout(OS os, RolloutDecision decision, ClusterSnapshot snapshot)
    {
        var c = decision.Counts;
        var complete = decision.Block == RolloutBlock.None && c.Complete && c.InScope > 0;
        var key = $"{os.Metadata?.Uid}/{os.Spec?.OpsType}/{os.Spec?.OSVersion}/{NodeScope.VersionOf(os.Spec?.SysConfigs)}";
        lock (_gate)
        {
            var seenBefore = _complete.TryGetValue(key, out var wasComplete);
            _complete[key] = complete;
            if (!seenBefore || wasComplete || !complete) return;
        }
        var operations = snapshot.Instances.Values
            .Select(i => i.Status)
            .Where(s => NodePhases.IsTerminal(s?.Phase) && Owns(os, s!.Operation))
            .Select(s => s!.Operation!)
            .Where(op => op.StartedAt is not null && op.PhaseStartedAt is not null)
            .ToList();
        if (operations.Count == 0) return;
        var seconds = (operations.Max(o => o.PhaseStartedAt!.Value) - operations.Min(o => o.StartedAt!.Value)).TotalSeconds;
        _rolloutDuration.WithLabels(os.Spec?.OpsType ?? "", c.Failed == 0 ? "succeeded" : "failed").Observe(Math.Max(0, seconds));
    }

    private static bool Owns(OS os, NodeOperation? op) =>
        op is not null && op.OS?.Name == os.Metadata?.Name && (op.OS?.Namespace ?? "default") == (os.Metadata?.Namespace ?? "default") &&
        op.OpsType == os.Spec?.OpsType && op.TargetVersion == os.Spec?.OSVersion;

    private static string Outcome(string phase) => phase == NodePhases.Succeeded ? "succeeded" : "failed";
}
