using KubeOS.Proxy.Drain;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

public class EvictionRetryPolicyTests
{
    private static readonly DateTimeOffset Now = NodeScenario.Start;
    private static readonly DateTimeOffset Deadline = Now + TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(404)]
    public void AcceptedOrGonePodIsDone(int status) =>
        Assert.Equal(EvictionOutcome.Done, EvictionRetryPolicy.Next(status, 1, false, Now, Deadline).Outcome);

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    public void DisruptionBudgetRefusalIsRetriedEveryFiveSecondsUntilTheDeadline(int status)
    {
        var early = EvictionRetryPolicy.Next(status, 57, false, Now, Deadline);
        Assert.Equal((EvictionOutcome.Retry, TimeSpan.FromSeconds(5)), (early.Outcome, early.RetryAfter));
        var late = EvictionRetryPolicy.Next(status, 58, false, Deadline - TimeSpan.FromSeconds(3), Deadline);
        Assert.Equal(EvictionOutcome.Blocked, late.Outcome);
        Assert.Contains("PodDisruptionBudget", late.Reason);
    }

    [Fact]
    public void ForbiddenEvictionBlocksTheDrain()
    {
        var decision = EvictionRetryPolicy.Next(403, 1, true, Now, Deadline);
        Assert.Equal(EvictionOutcome.Blocked, decision.Outcome);
        Assert.Contains("403", decision.Reason);
    }

    [Fact]
    public void OtherErrorsBackOffExponentiallyWithForce()
    {
        var delays = Enumerable.Range(1, 9).Select(t => EvictionRetryPolicy.Next(502, t, true, Now, Deadline).RetryAfter.TotalMilliseconds);
        Assert.Equal([100, 200, 400, 800, 1600, 3200, 6400, 12800, 20000], delays);
    }

    [Fact]
    public void OtherErrorsStopAfterTenTriesWithForce()
    {
        var decision = EvictionRetryPolicy.Next(502, 10, true, Now, Deadline);
        Assert.Equal(EvictionOutcome.Blocked, decision.Outcome);
        Assert.Contains("after 10 tries", decision.Reason);
    }

    [Fact]
    public void OtherErrorsAreNotRetriedWithoutForce() =>
        Assert.Equal(EvictionOutcome.Blocked, EvictionRetryPolicy.Next(502, 1, false, Now, Deadline).Outcome);

    [Fact]
    public void BackoffThatWouldPassTheDeadlineBlocks() =>
        Assert.Equal(EvictionOutcome.Blocked, EvictionRetryPolicy.Next(502, 9, true, Deadline - TimeSpan.FromSeconds(1), Deadline).Outcome);

    [Fact]
    public void TriesCountTheCallJustMade() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EvictionRetryPolicy.Next(429, 0, true, Now, Deadline));
}
