using KubeOS.Client.Selectors;
using k8s.Models;
using KubeOS.Proxy.Drain;
using Xunit;

namespace KubeOS.Operator.Tests.Proxy;

public class DrainDeadlineTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web" };

    [Fact]
    public void DeadlineIsTenMinutesAfterTheDrainBeganUnlessOverridden()
    {
        Assert.Equal(NodeScenario.Start + TimeSpan.FromMinutes(10), DrainDeadline.Of(NodeScenario.Start));
        Assert.Equal(NodeScenario.Start + TimeSpan.FromMinutes(2), DrainDeadline.Of(NodeScenario.Start, TimeSpan.FromMinutes(2)));
        Assert.True(DrainDeadline.Passed(NodeScenario.Start + TimeSpan.FromMinutes(10), DrainDeadline.Of(NodeScenario.Start)));
        Assert.False(DrainDeadline.Passed(NodeScenario.Start + TimeSpan.FromMinutes(9), DrainDeadline.Of(NodeScenario.Start)));
    }

    [Fact]
    public void TimeoutMessageNamesEachPodAndTheBudgetHoldingIt()
    {
        var remaining = new[] { Pods.Owned("web-0", labels: Web), Pods.Owned("worker-7") };
        var budgets = new[] { Pods.Budget("web", 0, Web), Pods.Budget("other", 0, new Dictionary<string, string> { ["app"] = "db" }) };
        var message = DrainDeadline.Describe(remaining, budgets, TimeSpan.FromMinutes(10));
        Assert.Equal("drain did not finish within 10m: pod apps/web-0 is held by PodDisruptionBudget apps/web (disruptionsAllowed 0); " +
                     "pod apps/worker-7 is still terminating. Raise the budget's allowed disruptions, scale the workload, or delete " +
                     "the pod, then reassign the node", message);
    }

    [Fact]
    public void RefusalMessageNamesThePodTheBudgetAndTheDeadline()
    {
        var budgets = new[] { Pods.Budget("web", 0, Web), Pods.Budget("other", 0, new Dictionary<string, string> { ["app"] = "db" }) };
        var message = DrainDeadline.DescribeRefusal(Pods.Owned("web-0", labels: Web), 429, budgets, NodeScenario.Start + TimeSpan.FromMinutes(10));
        Assert.Equal("eviction of pod apps/web-0 refused (429) by PodDisruptionBudget apps/web (disruptionsAllowed 0); retrying until the drain deadline " +
                     (NodeScenario.Start + TimeSpan.FromMinutes(10)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            message);
        Assert.DoesNotContain("PodDisruptionBudget", DrainDeadline.DescribeRefusal(Pods.Owned("worker-7"), 429, budgets, NodeScenario.Start));
    }

    [Fact]
    public void BudgetThatAllowsDisruptionsIsNotBlamed()
    {
        var message = DrainDeadline.Describe([Pods.Owned("web-0", labels: Web)], [Pods.Budget("web", 1, Web)], TimeSpan.FromSeconds(90));
        Assert.Contains("within 90s: pod apps/web-0 is still terminating (covered by PodDisruptionBudget apps/web (disruptionsAllowed 1))", message);
    }

    [Fact]
    public void BudgetInAnotherNamespaceDoesNotCoverThePod() =>
        Assert.Empty(LabelSelectorMatcher.BudgetsFor(Pods.Owned("web-0", labels: Web), [Pods.Budget("web", 0, Web, ns: "other")]));

    [Fact]
    public void NullSelectorSelectsNothingAndEmptySelectorEverything()
    {
        Assert.False(LabelSelectorMatcher.Matches(null, Web));
        Assert.True(LabelSelectorMatcher.Matches(new V1LabelSelector(), Web));
    }

    [Theory]
    [InlineData("In", "web,api", true)]
    [InlineData("In", "db", false)]
    [InlineData("NotIn", "db", true)]
    [InlineData("NotIn", "web", false)]
    [InlineData("Exists", "", true)]
    [InlineData("DoesNotExist", "", false)]
    public void MatchExpressionsFollowKubernetesSemantics(string op, string values, bool expected)
    {
        var selector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = op, Values = values.Length == 0 ? null : values.Split(',') }],
        };
        Assert.Equal(expected, LabelSelectorMatcher.Matches(selector, Web));
    }

    [Fact]
    public void MatchLabelsNeedEveryLabel()
    {
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" } };
        Assert.False(LabelSelectorMatcher.Matches(selector, Web));
        Assert.True(LabelSelectorMatcher.Matches(selector, new Dictionary<string, string>(Web) { ["tier"] = "front" }));
    }
}
