using KubeOS.Api.Models;
using KubeOS.Operator.Status;
using KubeOS.Operator.Tests.Operator;
using KubeOS.Sandbox.Simulation.Agent;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// spec.prestage against real proxies and simulated agents: every node downloads and verifies the image before the
/// first cordon, at most maxconcurrent at a time, and the upgrade itself fetches nothing again.
/// </summary>
public sealed class PrestageTests
{
    [Fact]
    public async Task Every_node_stages_before_the_first_cordon_at_most_maxconcurrent_at_once_and_downloads_once()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 5, prepareDuration: TimeSpan.FromMilliseconds(400));
        await using var sampler = await DisruptionSampler.StartAsync(cluster.Client, 5);
        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1);
        os.Spec!.Prestage = new PrestageSpec { Enabled = true, MaxConcurrent = 2, BandwidthLimit = "10Gi" };

        await cluster.CreateAsync(os);
        await OperatorSandbox.EventuallyAsync(async () =>
            (string?)OSStatusBuilder.ConditionOf(await cluster.StatusOfAsync("upgrade"), OSStatusBuilder.Progressing)?["reason"] == "Prestaging",
            "the OS status says it is pre-staging");
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node upgraded", TimeSpan.FromSeconds(40));

        foreach (var name in cluster.NodeNames)
        {
            Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
            var osi = await cluster.InstanceAsync(name);
            Assert.Equal(NodePhases.Succeeded, osi.Status?.Phase);
            Assert.Equal(PrestageStates.Staged, osi.Status?.Prestage?.State);
            Assert.Equal(ConditionStatuses.True, osi.Status?.Conditions?.Single(c => c.Type == NodeConditionTypes.Staged).Status);
        }

        var calls = cluster.NodeNames.ToDictionary(n => n, n => cluster.Agents.Agents[n].Calls);
        var prepares = calls.Values.SelectMany(c => c.Where(x => x.Kind == AgentCallKinds.Prepare)).ToList();
        // One download per node, carrying the bandwidth limit (10Gi) to the agent.
        Assert.All(calls.Values, c => Assert.Single(c, x => x.Kind == AgentCallKinds.Prepare));
        Assert.All(prepares, p => Assert.Equal(10L << 30, p.BandwidthLimit));
        // Every download ended before the first cordon of the rollout.
        var firstCordon = sampler.FirstCordon;
        Assert.NotNull(firstCordon);
        Assert.All(prepares, p => Assert.True(p.FinishedAt <= firstCordon, $"a download ended at {p.FinishedAt:O}, after the first cordon at {firstCordon:O}"));
        // At most two nodes staging at once: as the watch saw it, and as the agents did it.
        Assert.InRange(sampler.MaxStaging, 1, 2);
        Assert.InRange(prepares.Max(p => prepares.Count(q => q.StartedAt < p.FinishedAt && p.StartedAt < q.FinishedAt)), 1, 2);
        // Each node's disruption (cordon → uncordon) holds its reboot and no download.
        Assert.Equal(5, sampler.Windows.Count);
        foreach (var (node, from, to) in sampler.Windows)
        {
            Assert.NotNull(to);
            Assert.DoesNotContain(calls[node], c => c.Kind == AgentCallKinds.Prepare && c.StartedAt < to && from < c.FinishedAt);
            Assert.Contains(calls[node], c => c.Kind == AgentCallKinds.Reboot && c.StartedAt >= from && c.FinishedAt <= to);
        }
    }

    [Fact]
    public async Task A_node_whose_image_fails_verification_during_staging_does_not_hold_the_others()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 3,
            beforeProxies: c => c.AnnotateAsync("node-1", AgentFaults.Annotation, "checksum-mismatch"));
        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1);
        os.Spec!.Prestage = new PrestageSpec { Enabled = true };

        await cluster.CreateAsync(os);
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node finished or failed", TimeSpan.FromSeconds(30));

        var bad = await cluster.InstanceAsync("node-1");
        Assert.Equal(PrestageStates.Failed, bad.Status?.Prestage?.State);
        Assert.Contains("check_sum mismatch", bad.Status?.Prestage?.Message);
        Assert.Equal(NodePhases.Failed, bad.Status?.Phase);
        foreach (var name in new[] { "node-0", "node-2" })
            Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
    }
}
