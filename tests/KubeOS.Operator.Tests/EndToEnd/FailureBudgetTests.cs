using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;
using KubeOS.Operator.Status;
using KubeOS.Operator.Tests.Operator;
using KubeOS.Sandbox.Simulation.Agent;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// spec.maxfailures against real proxies and agents: a node whose image fails its checksum is reported failed; below
/// the budget the rollout goes on past it, at the budget it halts with no new node taken out of service.
/// </summary>
public sealed class FailureBudgetTests
{
    [Fact]
    public async Task A_checksum_failure_within_the_budget_fails_that_node_and_the_rollout_continues()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 4,
            beforeProxies: c => c.AnnotateAsync("node-1", AgentFaults.Annotation, "checksum-mismatch"));
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 4);
        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1);
        os.Spec!.MaxFailures = 2;

        await cluster.CreateAsync(os);
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node finished or failed", TimeSpan.FromSeconds(30));

        var failed = await cluster.InstanceAsync("node-1");
        Assert.Equal(NodePhases.Failed, failed.Status?.Phase);
        Assert.Equal(NodeFailureReasons.AgentError, failed.Status?.Operation?.FailureReason);
        Assert.Contains("check_sum mismatch", failed.Status?.Message);
        Assert.Equal(ConditionStatuses.True, failed.Status?.Conditions?.Single(c => c.Type == NodeConditionTypes.Failed).Status);
        foreach (var name in new[] { "node-0", "node-2", "node-3" })
            Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);

        await OperatorSandbox.EventuallyAsync(async () => (int?)(await cluster.StatusOfAsync("upgrade"))?["counts"]?["done"] == 3, "the status counts three done");
        var status = await cluster.StatusOfAsync("upgrade");
        Assert.Equal(1, (int?)status!["counts"]!["failed"]);
        Assert.False(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Blocked));
        Assert.False(OSStatusBuilder.IsTrue(status, OSStatusBuilder.Succeeded));
        Assert.Equal("NodesFailed", (string?)OSStatusBuilder.ConditionOf(status, OSStatusBuilder.Succeeded)?["reason"]);
        Assert.Equal(1, sampler.Max);
    }

    [Fact]
    public async Task Reaching_the_budget_halts_the_rollout_and_no_other_node_starts()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 4,
            beforeProxies: c => c.AnnotateAsync("node-0", AgentFaults.Annotation, "checksum-mismatch"));
        await using var upgrading = await LabelSampler.StartAsync(cluster.Client, WellKnown.Labels.Upgrading, 4);
        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1);
        os.Spec!.MaxFailures = 1;

        await cluster.CreateAsync(os);
        await OperatorSandbox.EventuallyAsync(async () =>
            (string?)OSStatusBuilder.ConditionOf(await cluster.StatusOfAsync("upgrade"), OSStatusBuilder.Blocked)?["reason"] == nameof(RolloutBlock.FailureBudgetExhausted),
            "the rollout is halted by its failure budget", TimeSpan.FromSeconds(30));
        var blocked = OSStatusBuilder.ConditionOf(await cluster.StatusOfAsync("upgrade"), OSStatusBuilder.Blocked)!;
        Assert.Contains("reaching spec.maxfailures 1 (node-0)", (string?)blocked["message"]);

        // Several more passes: still only node-0 was ever assigned, and the others are untouched on v1.
        var passes = cluster.Operator.Runtime.Activity.Passes;
        await cluster.LabelAsync("node-3", "touch", "1");
        await OperatorSandbox.EventuallyAsync(() => Task.FromResult(cluster.Operator.Runtime.Activity.Passes >= passes + 2), "two more passes ran");
        Assert.Equal(["node-0"], upgrading.AssignmentOrder);
        Assert.Equal(1, cluster.Operator.Runtime.Activity.Assignments);
        foreach (var name in new[] { "node-1", "node-2", "node-3" })
        {
            Assert.Equal(EndToEndCluster.V1, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
            Assert.Equal(WellKnown.NodeStatuses.Idle, (await cluster.InstanceAsync(name)).Spec?.NodeStatus);
        }
        Assert.Equal(NodePhases.Failed, (await cluster.InstanceAsync("node-0")).Status?.Phase);
    }
}
