using k8s;
using KubeOS.Api.Agent;
using KubeOS.Api.Models;
using KubeOS.Proxy.Execution;
using KubeOS.Proxy.Hosting;
using KubeOS.Proxy.Metrics;
using KubeOS.Proxy.Steps;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace KubeOS.Proxy;

/// <summary>
/// The whole proxy of one node against one cluster and one os-agent: observe, plan one step, carry it out, wait as the
/// step says. The host runs it as a worker; tests run one per simulated node in-process against a sandbox cluster.
/// </summary>
public sealed class ProxyRuntime
{
    private readonly ProxyOptions _options;
    private readonly ClusterGateway _cluster;
    private readonly AgentClient _agent;
    private readonly StepExecutor _executor;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly WakeSignal _wake = new();
    private readonly HttpClient _http = new();
    private readonly HealthGate.HealthGateObserver _health;

    public ProxyRuntime(IKubernetes client, ProxyOptions options, ILoggerFactory logs, TimeProvider? clock = null)
    {
        if (options.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _cluster = new ClusterGateway(client);
        _agent = new AgentClient(options.AgentSocket);
        var drainer = new Drainer(_cluster, _clock, logs.CreateLogger<Drainer>()) { GonePoll = options.PollInterval };
        _executor = new StepExecutor(_cluster, _agent, drainer, _clock, logs.CreateLogger<StepExecutor>(), Metrics,
            new Prestage.PrestageExecutor(_cluster, _agent, _clock, logs.CreateLogger<Prestage.PrestageExecutor>()),
            new NodeNotifier(client, _clock));
        _health = new HealthGate.HealthGateObserver(_cluster, _http);
        _log = logs.CreateLogger("KubeOS.Proxy");
    }

    public string NodeName => _options.NodeName;

    /// <summary>This proxy's metrics (its own registry, so proxies sharing a process do not mix their figures).</summary>
    public ProxyMetrics Metrics { get; } = new(Prometheus.Metrics.NewCustomRegistry());

    public async Task RunAsync(CancellationToken ct)
    {
        MetricServer? server = null;
        if (_options.MetricsPort > 0)
        {
            server = new MetricServer(_options.MetricsHost, _options.MetricsPort, "metrics/", Metrics.Registry);
            server.Start();
        }
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watching = _options.WatchOwnObjects
            ? new OwnObjectsWatch(_cluster.Client, NodeName, _wake, _log).RunAsync(stopWatching.Token)
            : Task.CompletedTask;
        try
        {
            await LoopAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (server is not null) await server.StopAsync().ConfigureAwait(false);
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        var timings = new ProxyTimings(_options.DrainTimeout, _options.RebootTimeout);
        while (!ct.IsCancellationRequested)
        {
            // After a failure: soon, within the poll interval (the planner's intervals suit a real cluster; a shorter
            // poll interval bounds them, as the sandbox's nodes reboot in milliseconds).
            var wait = Min(NodeStepPlanner.Soon, _options.PollInterval);
            try
            {
                // Changes announced so far (our own writes among them) are in the read that follows; only later ones wake us.
                _wake.Reset();
                var situation = await ObserveAsync(timings, ct).ConfigureAwait(false);
                var step = NodeStepPlanner.Next(situation);
                if (step.Kind != StepKind.Nothing) _log.LogInformation("{Node}: {Kind} ({Phase}): {Message}", NodeName, step.Kind, step.Phase, step.Message);
                await _executor.ExecuteAsync(situation, step, ct).ConfigureAwait(false);
                // Nothing assigned: only a change of the node or its OSInstance can give this proxy work, and the watches
                // announce those, so the look-again is a slow safety net rather than a poll (a fleet of idle proxies
                // would otherwise keep the API server busy).
                wait = step.Kind != StepKind.Nothing ? TimeSpan.Zero
                    : _options.WatchOwnObjects && situation.Instance?.Spec?.NamespacedName is null && !Prestage.PrestageStepPlanner.Pending(situation) ? _options.IdleResync
                    : Min(step.RequeueAfter, _options.PollInterval);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "{Node}: step failed; looking again in {Wait}", NodeName, wait);
            }
            if (wait <= TimeSpan.Zero) continue;
            try
            {
                // Watch events of the node and its OSInstance end the wait early (when watching is on).
                await _wake.WaitAsync(wait, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One look at everything the planner decides from. Reads that do not depend on each other go out together (the
    /// node with its OSInstance, then the owning OS with os-agent's status): each look costs two round trips, not four.
    /// </summary>
    private async Task<NodeSituation> ObserveAsync(ProxyTimings timings, CancellationToken ct)
    {
        var readingNode = _cluster.ReadNodeAsync(NodeName, ct);
        var readingInstance = _cluster.ReadInstanceAsync(NodeName, ct);
        await Task.WhenAll(readingNode, readingInstance).ConfigureAwait(false);
        var node = readingNode.Result;
        var osi = node is null ? null : readingInstance.Result;
        OS? owner = null;
        StatusResult? status = null;
        OS? prestageOwner = null;
        if (osi?.Spec?.NamespacedName is { } name)
        {
            var asking = AgentStatusAsync(ct);
            owner = await _cluster.ReadOSAsync(name, ct).ConfigureAwait(false);
            status = await asking.ConfigureAwait(false);
            if (owner is null) status = null;
        }
        else if (osi?.Spec?.Prestage?.OS is { } staging && !PrestageRecorded(osi))
        {
            var asking = AgentStatusAsync(ct);
            prestageOwner = await _cluster.ReadOSAsync(staging, ct).ConfigureAwait(false);
            status = await asking.ConfigureAwait(false);
        }
        var view = node is null ? null : NodeView.From(node);
        var situation = new NodeSituation(NodeName, view, osi, owner, status, _clock.GetUtcNow(), timings, prestageOwner);
        if (view is not null && HealthGateRunning(situation) is { } gate)
            situation = situation with { Health = await _health.ObserveAsync(view, gate, ct).ConfigureAwait(false) };
        return situation;
    }

    /// <summary>The node's pre-staging for the request ended already (staged or failed): nothing to read for it.</summary>
    private static bool PrestageRecorded(OSInstance osi) =>
        osi.Status?.Prestage is { } done && done.IsFor(osi.Spec!.Prestage!) && done.State is PrestageStates.Staged or PrestageStates.Failed;

    /// <summary>The owning OS's health gate when this node is back on the target and the gate has not decided yet.</summary>
    private static HealthGateSpec? HealthGateRunning(NodeSituation s) =>
        s.Owner?.Spec?.HealthGate is { } gate && s.Instance?.Spec?.Revert is null &&
        s.Instance?.Status?.Operation is { BootId: not null } op && op.HealthGate?.Result is null &&
        s.Node?.OsImage == s.Owner.Spec.OSVersion && NodeStepPlanner.SameTarget(op, s.Owner)
            ? gate
            : null;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task<StatusResult?> AgentStatusAsync(CancellationToken ct)
    {
        try
        {
            return await _agent.StatusAsync(ct).ConfigureAwait(false);
        }
        catch (AgentException e)
        {
            _log.LogInformation("{Node}: os-agent status unavailable: {Message}", NodeName, e.Message);
            return null;
        }
    }
}
