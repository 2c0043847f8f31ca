using Prometheus;

namespace KubeOS.Proxy.Metrics;

/// <summary>
/// The proxy's Prometheus metrics. Drain duration is measured here, where the drain runs, with a monotonic clock: the
/// OSInstance records a drain's end only when it succeeds and at whole-second precision, so the operator could not
/// derive failed or short drains honestly.
/// </summary>
public sealed class ProxyMetrics
{
    private readonly Histogram _drainDuration;

    public ProxyMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        _drainDuration = Prometheus.Metrics.WithCustomRegistry(registry).CreateHistogram("kubeos_proxy_drain_duration_seconds",
            "Wall time of one drain of this node (evictions and waiting for the pods to go), by how it ended.",
            new HistogramConfiguration
            {
                LabelNames = ["outcome"],
                Buckets = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 3600],
            });
    }

    public CollectorRegistry Registry { get; }

    /// <param name="failureReason">Null for a drain that finished; otherwise why it failed (DrainTimeout, DrainBlocked).</param>
    public void Drained(TimeSpan duration, string? failureReason) =>
        _drainDuration.WithLabels(failureReason ?? "Drained").Observe(duration.TotalSeconds);
}
