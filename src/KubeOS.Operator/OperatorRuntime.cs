using k8s;
using KubeOS.Operator.Cluster;
using KubeOS.Operator.Election;
using KubeOS.Operator.Hosting;
using KubeOS.Operator.Metrics;
using KubeOS.Operator.Reconcile;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace KubeOS.Operator;

/// <summary>
/// The whole operator against one cluster: leader election around a reconcile loop fed and woken by watches. The host runs it as a
/// worker; tests run several of them in-process against a sandbox cluster.
/// </summary>
/// <param name="metrics">Where the figures go; null gives this operator a registry of its own.</param>
public sealed class OperatorRuntime(IKubernetes client, OperatorOptions options, ILoggerFactory logs, TimeProvider? clock = null,
    OperatorMetrics? metrics = null)
{
    /// <summary>Short pause after a wake-up so a burst of watch events (our own writes included) makes one pass.</summary>
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ILogger _log = logs.CreateLogger("KubeOS.Operator");

    public OperatorActivity Activity { get; } = new();

    /// <summary>This operator's metrics (its own registry, so operators sharing a process do not mix their figures).</summary>
    public OperatorMetrics Metrics { get; } = metrics ?? new(Prometheus.Metrics.NewCustomRegistry());

    public string Identity { get; } = options.EffectiveIdentity();

    public async Task RunAsync(CancellationToken ct)
    {
        var server = StartMetricServer();
        try
        {
            if (!options.LeaderElection)
            {
                Activity.Leading = true;
                await ReconcileWhileLeadingAsync(ct).ConfigureAwait(false);
                return;
            }
            var runner = new LeaderElectedRunner(client, options.EffectiveLeaseNamespace(), options.LeaseName, Identity,
                options.LeaseDuration, options.RenewDeadline, options.RetryPeriod, logs.CreateLogger("KubeOS.Operator.Election"));
            await runner.RunAsync(ReconcileWhileLeadingAsync, leading => Activity.Leading = leading, ct).ConfigureAwait(false);
        }
        finally
        {
            if (server is not null) await server.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Every replica serves /metrics; only the leader's figures move (a standby observes nothing).</summary>
    private MetricServer? StartMetricServer()
    {
        if (options.MetricsPort <= 0) return null;
        var server = new MetricServer(options.MetricsHost, options.MetricsPort, "metrics/", Metrics.Registry);
        server.Start();
        _log.LogInformation("Serving metrics on {Host}:{Port}/metrics", options.MetricsHost, options.MetricsPort);
        return server;
    }

    private async Task ReconcileWhileLeadingAsync(CancellationToken ct)
    {
        var wake = new WakeSignal();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var cache = new ClusterCache(client, wake, _log);
        Metrics.StartObserving();
        var caching = cache.RunAsync(stop.Token);
        var controller = new RolloutController(new OperatorGateway(client), cache, _clock, options.Zone(), options.ResyncInterval, Activity, _log, Metrics);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                TimeSpan wait;
                var started = _clock.GetUtcNow();
                try
                {
                    wait = await controller.ReconcileOnceAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (StaleObservationException e)
                {
                    _log.LogInformation("{Reason}; observing again", e.Message);
                    wait = TimeSpan.Zero;
                }
                catch (Exception e)
                {
                    _log.LogWarning(e, "Reconcile pass failed; retrying in {Wait}", ErrorBackoff);
                    wait = ErrorBackoff;
                }
                if (wait > TimeSpan.Zero && await wake.WaitAsync(wait, ct).ConfigureAwait(false))
                {
                    var earliest = started + options.MinPassInterval - _clock.GetUtcNow();
                    await Task.Delay(earliest > Debounce ? earliest : Debounce, _clock, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await caching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
