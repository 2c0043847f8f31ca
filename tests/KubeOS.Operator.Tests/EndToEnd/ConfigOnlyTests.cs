using System.Text.Json;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Sandbox.Simulation.Agent;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>A config operation: the sysconfigs reach each node's os-agent and no node is cordoned.</summary>
public sealed class ConfigOnlyTests
{
    [Fact]
    public async Task Sysconfigs_reach_the_agents_without_a_cordon()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 3);
        await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, 3);
        var os = new OS
        {
            Metadata = new ObjectMeta { Name = "config", Namespace = "default" },
            Spec = new OSSpec
            {
                OpsType = WellKnown.OpsTypes.Config, OSVersion = EndToEndCluster.V1, MaxUnavailable = 3,
                ImageType = "disk", ImageUrl = "", Checksum = "", ContainerImage = "", FlagSafe = false, Mtls = false, EvictPodForce = false,
                SysConfigs = new SysConfigs
                {
                    Version = "v1.1",
                    Configs =
                    [
                        new SysConfig
                        {
                            Model = "kernel.sysctl",
                            Contents = [new Content { Key = "net.ipv4.ip_forward", Value = JsonDocument.Parse("\"1\"").RootElement.Clone() }],
                        },
                    ],
                },
            },
        };
        await cluster.CreateAsync(os);
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node applied the configuration");

        foreach (var name in cluster.NodeNames)
        {
            var node = await cluster.NodeAsync(name);
            Assert.True(node.Metadata.Annotations?.ContainsKey(NodeReporter.SysctlAnnotation), $"{name} has no {NodeReporter.SysctlAnnotation} annotation");
            var sysctl = JsonDocument.Parse(node.Metadata.Annotations![NodeReporter.SysctlAnnotation]).RootElement;
            Assert.Equal("1", sysctl.GetProperty("net.ipv4.ip_forward").GetString());
            Assert.Equal(EndToEndCluster.V1, node.Status.NodeInfo.OsImage);
            var osi = await cluster.InstanceAsync(name);
            Assert.Equal(NodePhases.Succeeded, osi.Status?.Phase);
            Assert.Equal("v1.1", osi.Status?.SysConfigs?.Version);
        }
        Assert.Empty(sampler.EverCordoned);
    }
}
