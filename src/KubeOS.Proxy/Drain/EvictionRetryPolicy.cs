namespace KubeOS.Proxy.Drain;

public enum EvictionOutcome
{
    /// <summary>The eviction was accepted, or the pod is already gone.</summary>
    Done,
    /// <summary>Try the eviction again after <see cref="EvictionDecision.RetryAfter"/>.</summary>
    Retry,
    /// <summary>Stop trying; the pod stays and blocks the drain.</summary>
    Blocked,
}

public sealed record EvictionDecision(EvictionOutcome Outcome, TimeSpan RetryAfter, string? Reason)
{
    public static EvictionDecision Done { get; } = new(EvictionOutcome.Done, TimeSpan.Zero, null);
    public static EvictionDecision RetryIn(TimeSpan delay) => new(EvictionOutcome.Retry, delay, null);
    public static EvictionDecision Block(string reason) => new(EvictionOutcome.Blocked, TimeSpan.Zero, reason);
}

/// <summary>
/// What to do after an eviction call answered with an HTTP status, following KubeOS's retry rules (kubeos.md §3.3)
/// bounded by the drain deadline, and without swallowing failures: a pod that cannot be evicted blocks the drain.
/// </summary>
public static class EvictionRetryPolicy
{
    /// <summary>KubeOS retries PDB refusals (429) and server errors (500) every 5 s.</summary>
    public static readonly TimeSpan DisruptionRetry = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan BackoffMax = TimeSpan.FromSeconds(20);
    public const int MaxTries = 10;

    /// <param name="statusCode">HTTP status of the eviction call (200/201 accepted).</param>
    /// <param name="tries">How many eviction calls were made for this pod, this one included (1 after the first).</param>
    /// <param name="evictPodForce">The OS's evictpodforce: without it KubeOS does not retry other errors.</param>
    public static EvictionDecision Next(int statusCode, int tries, bool evictPodForce, DateTimeOffset now, DateTimeOffset deadline)
    {
        if (tries < 1) throw new ArgumentOutOfRangeException(nameof(tries), tries, "count the call just made: tries starts at 1");
        switch (statusCode)
        {
            case >= 200 and < 300:
            case 404:
                return EvictionDecision.Done;
            case 403:
                return EvictionDecision.Block("eviction forbidden (403): the namespace is terminating or the pod may not be evicted");
            case 429 or 500:
                return now + DisruptionRetry < deadline
                    ? EvictionDecision.RetryIn(DisruptionRetry)
                    : EvictionDecision.Block($"eviction still refused ({statusCode}, likely a PodDisruptionBudget) at the drain deadline");
        }
        if (!evictPodForce) return EvictionDecision.Block($"eviction failed with HTTP {statusCode}");
        if (tries >= MaxTries) return EvictionDecision.Block($"eviction failed with HTTP {statusCode} after {tries} tries");
        var delay = Backoff(tries);
        return now + delay < deadline
            ? EvictionDecision.RetryIn(delay)
            : EvictionDecision.Block($"eviction failed with HTTP {statusCode} and the drain deadline is reached");
    }

    /// <summary>100 ms, 200 ms, 400 ms … capped at 20 s; callers may add jitter.</summary>
    public static TimeSpan Backoff(int tries)
    {
        var exponent = Math.Min(tries - 1, 30);
        var ms = BackoffBase.TotalMilliseconds * Math.Pow(2, exponent);
        return TimeSpan.FromMilliseconds(Math.Min(ms, BackoffMax.TotalMilliseconds));
    }
}
