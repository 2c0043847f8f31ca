using KubeOS.Client.Selectors;
using k8s.Models;

namespace KubeOS.Proxy.Drain;

/// <summary>
/// KubeOS waits for evictions forever (kubeos.md §3.6); here a drain has a deadline, and when it passes the node fails
/// with a message that says which pods are still there and which PodDisruptionBudget holds each of them.
/// </summary>
public static class DrainDeadline
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The deadline of a drain that began at <paramref name="drainStartedAt"/>.</summary>
    public static DateTimeOffset Of(DateTimeOffset drainStartedAt, TimeSpan? timeout = null) =>
        drainStartedAt + (timeout ?? DefaultTimeout);

    public static bool Passed(DateTimeOffset now, DateTimeOffset deadline) => now >= deadline;

    /// <summary>"drain did not finish within 10m: pod a/web-0 is held by PodDisruptionBudget a/web (disruptionsAllowed 0); …"</summary>
    public static string Describe(IReadOnlyCollection<V1Pod> remaining, IEnumerable<V1PodDisruptionBudget> budgets, TimeSpan timeout)
    {
        var parts = WhatHolds(remaining, budgets);
        return $"drain did not finish within {Format(timeout)}: {string.Join("; ", parts)}. " +
               "Raise the budget's allowed disruptions, scale the workload, or delete the pod, then reassign the node";
    }

    /// <summary>Per remaining pod: the budgets with no disruption left that hold it, or that it is still terminating.</summary>
    public static IReadOnlyList<string> WhatHolds(IReadOnlyCollection<V1Pod> remaining, IEnumerable<V1PodDisruptionBudget> budgets)
    {
        var all = budgets.ToList();
        return remaining.Select(pod =>
        {
            var holding = LabelSelectorMatcher.BudgetsFor(pod, all);
            var blocking = holding.Where(b => (b.Status?.DisruptionsAllowed ?? 0) <= 0).ToList();
            return blocking.Count > 0
                ? $"pod {PodName.Of(pod)} is held by {string.Join(", ", blocking.Select(Budget))}"
                : holding.Count > 0
                    ? $"pod {PodName.Of(pod)} is still terminating (covered by {string.Join(", ", holding.Select(Budget))})"
                    : $"pod {PodName.Of(pod)} is still terminating";
        }).ToList();
    }

    /// <summary>
    /// "eviction of pod a/web-0 refused (429) by PodDisruptionBudget a/web (disruptionsAllowed 0); retrying until 12:00:00Z":
    /// recorded while a drain waits, so the node's status names what holds it while it stays cordoned.
    /// </summary>
    public static string DescribeRefusal(V1Pod pod, int statusCode, IEnumerable<V1PodDisruptionBudget> budgets, DateTimeOffset deadline)
    {
        var holding = LabelSelectorMatcher.BudgetsFor(pod, budgets.ToList());
        var by = holding.Count > 0 ? " by " + string.Join(", ", holding.Select(Budget)) : "";
        return $"eviction of pod {PodName.Of(pod)} refused ({statusCode}){by}; retrying until the drain deadline " +
               deadline.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Budget(V1PodDisruptionBudget b) =>
        $"PodDisruptionBudget {b.Metadata?.NamespaceProperty ?? "default"}/{b.Metadata?.Name} (disruptionsAllowed {b.Status?.DisruptionsAllowed ?? 0})";

    private static string Format(TimeSpan t) =>
        t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{(int)t.TotalMinutes}m" : $"{(int)t.TotalSeconds}s";
}
