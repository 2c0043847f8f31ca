using KubeOS.Api.Models;
using KubeOS.Sandbox.Simulation.Agent;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// os-agent refuses to stage the image on two nodes (a checksum mismatch, a failed download): those nodes fail before
/// they are cordoned, without a second attempt, and the others upgrade.
/// </summary>
public sealed class ChecksumFaultTests
{
    private const string ChecksumNode = "node-1";
    private const string DownloadNode = "node-3";

    [Fact]
    public async Task An_image_the_agent_refuses_fails_the_node_uncordoned_and_the_others_finish()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 5, beforeProxies: async c =>
        {
            await c.AnnotateAsync(ChecksumNode, AgentFaults.Annotation, "checksum-mismatch");
            await c.AnnotateAsync(DownloadNode, AgentFaults.Annotation, "download-failure");
        });
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 5);

        await cluster.CreateAsync(EndToEndCluster.Upgrade("upgrade", maxUnavailable: 2));
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node finished or failed");

        foreach (var (node, words) in new[] { (ChecksumNode, "check_sum"), (DownloadNode, "download") })
        {
            var failed = await cluster.InstanceAsync(node);
            Assert.Equal(NodePhases.Failed, failed.Status?.Phase);
            Assert.Contains("preparing KubeOS v2 failed", failed.Status?.Message);
            Assert.Contains(words, failed.Status?.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(NodeFailureReasons.AgentError, failed.Status?.Operation?.FailureReason);
            Assert.Equal(1, failed.Status?.Operation?.Attempt);
            Assert.Equal(EndToEndCluster.V1, (await cluster.NodeAsync(node)).Status.NodeInfo.OsImage);
            Assert.DoesNotContain(node, sampler.EverCordoned);
        }

        foreach (var name in cluster.NodeNames.Where(n => n is not (ChecksumNode or DownloadNode)))
        {
            Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
            Assert.Equal(NodePhases.Succeeded, (await cluster.InstanceAsync(name)).Status?.Phase);
        }
        Assert.InRange(sampler.Max, 1, 2);
    }
}
