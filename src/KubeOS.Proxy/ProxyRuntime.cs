using k8s;
using KubeOS.Api.Agent;
using KubeOS.Proxy.Execution;
using KubeOS.Proxy.Hosting;
using KubeOS.Proxy.Steps;
using Microsoft.Extensions.Logging;

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

    public ProxyRuntime(IKubernetes client, ProxyOptions options, ILoggerFactory logs, TimeProvider? clock = null)
    {
        if (options.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _cluster = new ClusterGateway(client);
        _agent = new AgentClient(options.AgentSocket);
        var drainer = new Drainer(_cluster, _clock, logs.CreateLogger<Drainer>()) { GonePoll = options.PollInterval };
        _executor = new StepExecutor(_cluster, _agent, drainer, _clock, logs.CreateLogger<StepExecutor>());
        _log = logs.CreateLogger("KubeOS.Proxy");
    }

    public string NodeName => _options.NodeName;

    public async Task RunAsync(CancellationToken ct)
    {
        var timings = new ProxyTimings(_options.DrainTimeout, _options.RebootTimeout);
        while (!ct.IsCancellationRequested)
        {
            var wait = NodeStepPlanner.Soon;
            try
            {
                var situation = await ObserveAsync(timings, ct).ConfigureAwait(false);
                var step = NodeStepPlanner.Next(situation);
                if (step.Kind != StepKind.Nothing) _log.LogInformation("{Node}: {Kind} ({Phase}): {Message}", NodeName, step.Kind, step.Phase, step.Message);
                await _executor.ExecuteAsync(situation, step, ct).ConfigureAwait(false);
                wait = step.Kind == StepKind.Nothing ? step.RequeueAfter : TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "{Node}: step failed; looking again in {Wait}", NodeName, wait);
            }
            // The planner's intervals suit a real cluster; a shorter poll interval bounds them (the sandbox's nodes reboot in milliseconds).
            if (wait > _options.PollInterval) wait = _options.PollInterval;
            if (wait <= TimeSpan.Zero) continue;
            try
            {
                await Task.Delay(wait, _clock, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<NodeSituation> ObserveAsync(ProxyTimings timings, CancellationToken ct)
    {
        var node = await _cluster.ReadNodeAsync(NodeName, ct).ConfigureAwait(false);
        var osi = node is null ? null : await _cluster.ReadInstanceAsync(NodeName, ct).ConfigureAwait(false);
        var owner = osi?.Spec?.NamespacedName is { } name ? await _cluster.ReadOSAsync(name, ct).ConfigureAwait(false) : null;
        StatusResult? status = null;
        if (owner is not null)
        {
            try
            {
                status = await _agent.StatusAsync(ct).ConfigureAwait(false);
            }
            catch (AgentException e)
            {
                _log.LogInformation("{Node}: os-agent status unavailable: {Message}", NodeName, e.Message);
            }
        }
        return new NodeSituation(NodeName, node is null ? null : NodeView.From(node), osi, owner, status, _clock.GetUtcNow(), timings);
    }
}
