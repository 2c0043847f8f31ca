using KubeOS.Api.Agent;
using KubeOS.Proxy.Execution;
using KubeOS.Proxy.Steps;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KubeOS.Proxy.Hosting;

/// <summary>The per-node loop: observe the cluster and the agent, plan one step, carry it out, wait as the step says.</summary>
public sealed class ProxyWorker(
    IOptions<ProxyOptions> options, ClusterGateway cluster, AgentClient agent, StepExecutor executor, TimeProvider clock,
    ILogger<ProxyWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var timings = new ProxyTimings(o.DrainTimeout, o.RebootTimeout);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = NodeStepPlanner.Soon;
            try
            {
                var situation = await ObserveAsync(o.NodeName, timings, stoppingToken).ConfigureAwait(false);
                var step = NodeStepPlanner.Next(situation);
                if (step.Kind != StepKind.Nothing) log.LogInformation("{Node}: {Kind} ({Phase}): {Message}", o.NodeName, step.Kind, step.Phase, step.Message);
                await executor.ExecuteAsync(situation, step, stoppingToken).ConfigureAwait(false);
                wait = step.Kind == StepKind.Nothing ? step.RequeueAfter : TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "{Node}: step failed; looking again in {Wait}", o.NodeName, wait);
            }
            if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<NodeSituation> ObserveAsync(string nodeName, ProxyTimings timings, CancellationToken ct)
    {
        var node = await cluster.ReadNodeAsync(nodeName, ct).ConfigureAwait(false);
        var osi = node is null ? null : await cluster.ReadInstanceAsync(nodeName, ct).ConfigureAwait(false);
        var owner = osi?.Spec?.NamespacedName is { } name ? await cluster.ReadOSAsync(name, ct).ConfigureAwait(false) : null;
        StatusResult? status = null;
        if (owner is not null)
        {
            try
            {
                status = await agent.StatusAsync(ct).ConfigureAwait(false);
            }
            catch (AgentException e)
            {
                log.LogInformation("{Node}: os-agent status unavailable: {Message}", nodeName, e.Message);
            }
        }
        return new NodeSituation(nodeName, node is null ? null : NodeView.From(node), osi, owner, status, clock.GetUtcNow(), timings);
    }
}
