using k8s.Models;
using KubeOS.Api.Models;
using KubeOS.Proxy.Drain;
using KubeOS.Proxy.Steps;
using Microsoft.Extensions.Logging;

namespace KubeOS.Proxy.Execution;

/// <summary>How a drain ended: drained, or failed with a reason and a message for the node's status.</summary>
public sealed record DrainResult(bool Drained, string Message, string? FailureReason);

/// <summary>
/// Runs one drain: classify the node's pods, evict (at most 5 at a time, as KubeOS) with <see cref="EvictionRetryPolicy"/>,
/// then wait until the pods are gone, all before the drain deadline.
/// </summary>
public sealed class Drainer(ClusterGateway cluster, TimeProvider clock, ILogger<Drainer> log)
{
    private const int Parallel = 5;
    /// <summary>How often to look whether evicted pods are gone.</summary>
    public TimeSpan GonePoll { get; init; } = TimeSpan.FromSeconds(5);

    /// <param name="progress">Told why the drain is waiting (an eviction refused by a budget), to record on the node's status.</param>
    /// <param name="policy">spec.drain (or evictpodforce's meaning); with escalation the order's deadline is failafter.</param>
    /// <param name="warn">Told once, after warnafter, what still holds the drain.</param>
    public async Task<DrainResult> DrainAsync(string node, DrainOrder order, CancellationToken ct, Func<string, Task>? progress = null,
        DrainPolicy? policy = null, Func<string, Task>? warn = null)
    {
        policy ??= DrainPolicy.KubeOS(order.EvictPodForce);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var warning = policy.WarnAfter is { } after && warn is not null
            ? WarnLaterAsync(node, order, policy, after, warn, stop.Token)
            : Task.CompletedTask;
        DrainResult result;
        try
        {
            result = await DrainPodsAsync(node, order, policy, ct, progress).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try { await warning.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        // Escalation action skip: a drain that cannot finish hands the node back on its version instead of failing it.
        if (!result.Drained && policy.Skips)
            return new DrainResult(false, "skipped by spec.drain.escalation.action skip, the node stays on its version: " + result.Message,
                NodeFailureReasons.DrainSkipped);
        return result;
    }

    private async Task WarnLaterAsync(string node, DrainOrder order, DrainPolicy policy, TimeSpan after, Func<string, Task> warn, CancellationToken ct)
    {
        var startedAt = order.Deadline - order.Timeout;
        var due = startedAt + after - clock.GetUtcNow();
        if (due > TimeSpan.Zero) await Task.Delay(due, clock, ct).ConfigureAwait(false);
        var pods = await cluster.PodsOnAsync(node, ct).ConfigureAwait(false);
        var toEvict = PodClassifier.Classify(pods, policy).ToEvict;
        var budgets = await cluster.BudgetsAsync(ct).ConfigureAwait(false);
        var message = DrainStall.Describe(toEvict, budgets, clock.GetUtcNow() - startedAt, order.Deadline, policy.Action);
        log.LogWarning("drain {Node}: {Message}", node, message);
        await warn(message).ConfigureAwait(false);
    }

    private async Task<DrainResult> DrainPodsAsync(string node, DrainOrder order, DrainPolicy policy, CancellationToken ct, Func<string, Task>? progress)
    {
        var plan = PodClassifier.Classify(await cluster.PodsOnAsync(node, ct).ConfigureAwait(false), policy);
        foreach (var skipped in plan.Skipped) log.LogInformation("drain {Node}: skipping {Pod}: {Reason}", node, PodName.Of(skipped.Pod), skipped.Reason);
        if (!plan.CanProceed) return new DrainResult(false, "drain refused: " + plan.Describe(), NodeFailureReasons.DrainBlocked);

        var refused = new List<string>();
        using var gate = new SemaphoreSlim(Parallel);
        var evictions = plan.ToEvict.Select(async pod =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var reason = await EvictAsync(pod, order, progress, ct).ConfigureAwait(false);
                if (reason is not null) lock (refused) refused.Add($"{PodName.Of(pod)}: {reason}");
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(evictions).ConfigureAwait(false);

        var remaining = plan.ToEvict.ToList();
        while (true)
        {
            var still = new List<V1Pod>();
            foreach (var pod in remaining)
                if (await cluster.PodStillThereAsync(pod, ct).ConfigureAwait(false)) still.Add(pod);
            remaining = still;
            if (remaining.Count == 0) break;
            if (DrainDeadline.Passed(clock.GetUtcNow(), order.Deadline))
            {
                var budgets = await cluster.BudgetsAsync(ct).ConfigureAwait(false);
                return new DrainResult(false, DrainDeadline.Describe(remaining, budgets, order.Timeout), NodeFailureReasons.DrainTimeout);
            }
            await Task.Delay(GonePoll, clock, ct).ConfigureAwait(false);
        }
        if (refused.Count > 0) return new DrainResult(false, "evictions refused: " + string.Join("; ", refused), NodeFailureReasons.DrainBlocked);
        return new DrainResult(true, $"drained: {plan.ToEvict.Count} pods evicted, {plan.Skipped.Count} skipped", null);
    }

    /// <summary>Null when the pod was evicted (or is gone); otherwise why it could not be.</summary>
    private async Task<string?> EvictAsync(V1Pod pod, DrainOrder order, Func<string, Task>? progress, CancellationToken ct)
    {
        for (var tries = 1; ; tries++)
        {
            var status = await cluster.EvictAsync(pod, ct).ConfigureAwait(false);
            var decision = EvictionRetryPolicy.Next(status, tries, order.EvictPodForce, clock.GetUtcNow(), order.Deadline);
            switch (decision.Outcome)
            {
                case EvictionOutcome.Done:
                    return null;
                case EvictionOutcome.Blocked:
                    return decision.Reason;
                default:
                    log.LogInformation("drain: eviction of {Pod} answered {Status}; retrying in {Delay}", PodName.Of(pod), status, decision.RetryAfter);
                    if (progress is not null && status == 429)
                        await progress(DrainDeadline.DescribeRefusal(pod, status, await cluster.BudgetsAsync(ct).ConfigureAwait(false), order.Deadline)).ConfigureAwait(false);
                    await Task.Delay(decision.RetryAfter, clock, ct).ConfigureAwait(false);
                    break;
            }
        }
    }
}
