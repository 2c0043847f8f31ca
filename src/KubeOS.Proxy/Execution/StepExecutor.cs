using KubeOS.Proxy.Metrics;
using KubeOS.Api.Agent;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Proxy.Drain;
using KubeOS.Proxy.Steps;
using Microsoft.Extensions.Logging;

namespace KubeOS.Proxy.Execution;

/// <summary>
/// Carries out one planned step: records the step's status first (so the cluster says what the node is doing), then
/// makes the Kubernetes and os-agent calls. Errors surface as exceptions; the worker looks again a second later, and
/// the planner decides afresh from what the cluster then shows.
/// </summary>
public sealed class StepExecutor(ClusterGateway cluster, AgentClient agent, Drainer drainer, TimeProvider clock, ILogger<StepExecutor> log,
    ProxyMetrics? metrics = null, Prestage.PrestageExecutor? prestage = null, NodeNotifier? notifier = null)
{
    public async Task ExecuteAsync(NodeSituation situation, NodeStep step, CancellationToken ct)
    {
        var node = situation.NodeName;
        if (step.Kind == StepKind.CreateInstance)
        {
            await cluster.CreateInstanceAsync(node, ct).ConfigureAwait(false);
            return;
        }
        if (situation.Instance is not { } osi) return;
        if (step.Kind == StepKind.Prestage)
        {
            // Pre-staging writes only status.prestage: the phase and message belong to operations.
            if (prestage is not null) await prestage.RunAsync(osi, step.Prestage!, ct).ConfigureAwait(false);
            return;
        }
        if (step.Kind != StepKind.Nothing || Changed(osi.Status, step))
            osi = await Record(osi, step, ct).ConfigureAwait(false);

        try
        {
            await RunAsync(situation, osi, step, ct).ConfigureAwait(false);
        }
        catch (AgentException e)
        {
            // Keep the phase, say why it does not move on; the worker tries again.
            await Record(osi, step with { Kind = StepKind.Nothing, Message = $"{step.Message}: os-agent: {e.Message}" }, ct).ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunAsync(NodeSituation situation, OSInstance osi, NodeStep step, CancellationToken ct)
    {
        var node = situation.NodeName;
        if (step.Notice is { } notice && notifier is not null) await notifier.NotifyAsync(node, notice, ct).ConfigureAwait(false);
        switch (step.Kind)
        {
            case StepKind.Nothing:
                return;
            case StepKind.ApplyConfigs:
                await ApplyConfigsAsync(osi, step.Configs!.Value, ct).ConfigureAwait(false);
                return;
            case StepKind.Prepare:
                await PrepareAsync(situation.Owner!.Spec!, osi, step, ct).ConfigureAwait(false);
                return;
            case StepKind.Cordon:
                await cluster.SetUnschedulableAsync(node, true, ct).ConfigureAwait(false);
                return;
            case StepKind.Drain:
                await DrainAsync(node, osi, step, ct, DrainPolicy.From(situation.Owner?.Spec)).ConfigureAwait(false);
                return;
            case StepKind.RequestUpgrade:
                await RequestRebootAsync(() => agent.UpgradeAsync(ct)).ConfigureAwait(false);
                return;
            case StepKind.RequestRollback:
                await RequestRebootAsync(() => agent.RollbackAsync(ct)).ConfigureAwait(false);
                return;
            case StepKind.ConfirmBoot:
                await agent.ConfirmBootAsync(ct).ConfigureAwait(false);
                return;
            case StepKind.UpdateSysConfigsSpec:
                var sysconfigs = step.SysConfigsSpec is null ? "null" : ManifestSerializer.ToJson(step.SysConfigsSpec, indented: false);
                await cluster.PatchInstanceSpecAsync(node, $"{{\"sysconfigs\":{sysconfigs}}}", ct).ConfigureAwait(false);
                return;
            case StepKind.Complete:
            case StepKind.Fail:
            case StepKind.Reassign:
                await ReleaseAsync(node, step.Release!, ct).ConfigureAwait(false);
                return;
        }
    }

    private async Task ApplyConfigsAsync(OSInstance osi, ConfigKind kind, CancellationToken ct)
    {
        var spec = kind == ConfigKind.SysConfigs ? osi.Spec?.SysConfigs : osi.Spec?.UpgradeConfigs;
        if (AgentRequests.Configure(spec) is { } request)
        {
            var response = await agent.ConfigureAsync(request, ct).ConfigureAwait(false);
            foreach (var change in response.Changes ?? []) log.LogInformation("configure: {Change}", change);
        }
        var status = osi.Status ?? new OSInstanceStatus();
        if (kind == ConfigKind.SysConfigs) status.SysConfigs = spec;
        else status.UpgradeConfigs = spec;
        await cluster.ReplaceStatusAsync(osi, status, ct).ConfigureAwait(false);
    }

    private async Task PrepareAsync(OSSpec os, OSInstance osi, NodeStep step, CancellationToken ct)
    {
        try
        {
            await agent.PrepareUpgradeAsync(AgentRequests.Upgrade(os), ct).ConfigureAwait(false);
        }
        catch (AgentException e) when (AgentFailures.IsRefusal(e))
        {
            // The agent checked the image and said no (bad checksum, failed download, bad request): fetching the same
            // image again gives the same answer, so the operation fails here and the next plan releases the node.
            var reason = NodeFailureReasons.AgentError;
            await Record(osi, new NodeStep(StepKind.Fail, NodePhases.Failed, $"preparing {os.OSVersion} failed: os-agent: {e.Message}")
            {
                FailureReason = reason,
                Operation = (osi.Status?.Operation ?? step.Operation!).With(failureReason: reason),
            }, ct).ConfigureAwait(false);
            return;
        }
        await Record(osi, step with { Phase = step.SuccessPhase ?? step.Phase, Message = $"{os.OSVersion} staged on the inactive partition" }, ct).ConfigureAwait(false);
    }

    private async Task DrainAsync(string node, OSInstance osi, NodeStep step, CancellationToken ct, DrainPolicy policy)
    {
        // Evictions run in parallel; their reports are written one at a time, each on the instance the last one returned.
        using var writing = new SemaphoreSlim(1);
        async Task Report(string message)
        {
            await writing.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (osi.Status?.Message != message) osi = await Record(osi, step with { Kind = StepKind.Nothing, Message = message }, ct).ConfigureAwait(false);
            }
            finally
            {
                writing.Release();
            }
        }
        async Task Warn(string message)
        {
            await writing.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                osi = await cluster.ReplaceStatusAsync(osi, NodeStatusWriter.MarkDrainStalled(osi.Status!, message, osi.Metadata?.Generation, clock.GetUtcNow()), ct).ConfigureAwait(false);
            }
            finally
            {
                writing.Release();
            }
        }
        var began = clock.GetTimestamp();
        var order = EscalatedOrder(step.Drain!, policy);
        var result = await drainer.DrainAsync(node, order, ct, Report, policy, Warn).ConfigureAwait(false);
        metrics?.Drained(clock.GetElapsedTime(began), result.FailureReason);
        var generation = osi.Metadata?.Generation;
        if (result.Drained)
        {
            await cluster.ReplaceStatusAsync(osi, NodeStatusWriter.MarkDrained(osi.Status!, result.Message, generation, clock.GetUtcNow()), ct).ConfigureAwait(false);
            return;
        }
        // Recorded as the operation's failure; the next plan releases the node (Fail), so a refused drain is not retried.
        var failed = new NodeStep(StepKind.Fail, NodePhases.Failed, result.Message)
        {
            FailureReason = result.FailureReason,
            Operation = (osi.Status?.Operation ?? step.Operation!).With(failureReason: result.FailureReason),
        };
        await Record(osi, failed, ct).ConfigureAwait(false);
    }

    /// <summary>spec.drain.escalation.failafter replaces the proxy's drain timeout, counted from the same start.</summary>
    private static DrainOrder EscalatedOrder(DrainOrder order, DrainPolicy policy)
    {
        if (policy.FailAfter is not { } failAfter) return order;
        var startedAt = order.Deadline - order.Timeout;
        return order with { Deadline = startedAt + failAfter, Timeout = failAfter };
    }

    /// <summary>The agent reboots the node while answering, so a dropped connection is what success usually looks like.</summary>
    private async Task RequestRebootAsync(Func<Task<AgentResponse>> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (AgentException e) when (e.Message.Contains("closed the connection", StringComparison.Ordinal))
        {
            log.LogInformation("os-agent closed the connection; the node is rebooting");
        }
    }

    private async Task ReleaseAsync(string node, Release release, CancellationToken ct)
    {
        await cluster.ReleaseNodeAsync(node, release.RemoveLabels, release.Uncordon, ct).ConfigureAwait(false);
        // Written last: while namespacedname is still set, an interrupted release is finished by the next plan.
        await cluster.PatchInstanceSpecAsync(node, "{\"nodestatus\":\"idle\",\"namespacedname\":null}", ct).ConfigureAwait(false);
    }

    private Task<OSInstance> Record(OSInstance osi, NodeStep step, CancellationToken ct) =>
        cluster.ReplaceStatusAsync(osi, NodeStatusWriter.Apply(osi.Status, step, osi.Metadata?.Generation, clock.GetUtcNow()), ct);

    private static bool Changed(OSInstanceStatus? status, NodeStep step) =>
        status?.Phase != step.Phase || status?.Message != step.Message;
}
