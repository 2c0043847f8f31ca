using k8s.Models;

namespace KubeOS.Proxy.Drain;

/// <summary>Words for a drain that is taking too long (spec.drain.escalation): what still holds it, pod by pod.</summary>
public static class DrainStall
{
    /// <summary>"drain has waited 30s (spec.drain.escalation.warnafter): pod a/web-0 is held by PodDisruptionBudget a/web (disruptionsAllowed 0)".</summary>
    public static string Describe(IReadOnlyCollection<V1Pod> remaining, IEnumerable<V1PodDisruptionBudget> budgets, TimeSpan waited, DateTimeOffset? giveUpAt, string action)
    {
        var parts = DrainDeadline.WhatHolds(remaining, budgets);
        var then = giveUpAt is { } at
            ? $"; at {at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} the node will be {(action == Api.Models.DrainChoices.Skip ? "skipped (uncordoned, left on its version)" : "failed and uncordoned")}"
            : "";
        return $"drain has waited {(int)waited.TotalSeconds}s (spec.drain.escalation.warnafter): " +
               (parts.Count > 0 ? string.Join("; ", parts) : "evictions are still pending") + then;
    }
}
