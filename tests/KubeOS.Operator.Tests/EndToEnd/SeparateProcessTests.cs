using k8s;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Status;
using KubeOS.Operator.Tests.Operator;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// The shipped executables against the sandbox: os-operator and one os-proxy per node, each its own process talking to
/// the API server through a kubeconfig and to its node's simulated os-agent over the unix socket. The operator is
/// killed with SIGKILL mid-rollout and a new one started; the rollout finishes without exceeding maxunavailable.
/// </summary>
public sealed class SeparateProcessTests
{
    private const int Nodes = 5;
    private const int MaxUnavailable = 2;

    [Fact]
    public async Task Processes_upgrade_the_fleet_and_a_killed_operator_is_replaced_without_exceeding_maxunavailable()
    {
        await using var cluster = await EndToEndCluster.StartAsync(Nodes, prepareDuration: TimeSpan.FromMilliseconds(300), inProcessControllers: false);
        var kubeconfig = cluster.Server.KubeconfigPath;
        var processes = new List<ControllerProcess>();
        try
        {
            foreach (var node in cluster.NodeNames)
            {
                processes.Add(ControllerProcess.Start(node, "KubeOS.Proxy", "os-proxy", new Dictionary<string, string>
                {
                    ["NODE_NAME"] = node, ["Proxy__Kubeconfig"] = kubeconfig, ["Proxy__AgentSocket"] = cluster.Agents.SocketPath(node),
                    ["Proxy__PollInterval"] = "00:00:00.200", ["Proxy__DrainTimeout"] = "00:00:30", ["Proxy__RebootTimeout"] = "00:00:30",
                }));
            }
            await Diagnosed(processes, () => OperatorSandbox.EventuallyAsync(async () => (await cluster.InstancesAsync()).Count == Nodes,
                "every os-proxy process created its node's OSInstance", TimeSpan.FromSeconds(60)));
            await using var sampler = await OutOfServiceSampler.StartAsync(cluster.Client, Nodes);

            var first = StartOperator(kubeconfig, "operator-first");
            processes.Add(first);
            await cluster.CreateAsync(EndToEndCluster.Upgrade("upgrade", maxUnavailable: MaxUnavailable));
            await Diagnosed(processes, () => OperatorSandbox.EventuallyAsync(async () => await UpgradedAsync(cluster) >= 1,
                "a node runs the new version", TimeSpan.FromSeconds(60)));
            await first.KillAsync();
            Assert.True(first.HasExited);
            // At most maxunavailable nodes are in flight besides the upgraded ones, so with this few upgraded at least one
            // node was still unassigned: the successor has assignments of its own to make.
            var upgradedAtKill = await UpgradedAsync(cluster);
            Assert.InRange(upgradedAtKill, 1, Nodes - MaxUnavailable - 1);

            // The successor waits out the dead operator's lease, then continues from what the cluster shows.
            var second = StartOperator(kubeconfig, "operator-second");
            processes.Add(second);
            await Diagnosed(processes, () => cluster.WaitUntilSettledAsync(cluster.NodeNames, "every node finished the upgrade", TimeSpan.FromSeconds(90)));

            foreach (var name in cluster.NodeNames)
            {
                var node = await cluster.NodeAsync(name);
                Assert.Equal(EndToEndCluster.V2, node.Status.NodeInfo.OsImage);
                Assert.NotEqual(true, node.Spec.Unschedulable);
                Assert.Equal(NodePhases.Succeeded, (await cluster.InstanceAsync(name)).Status?.Phase);
            }
            Assert.Equal(MaxUnavailable, sampler.Max);
            Assert.Equal(cluster.NodeNames.ToHashSet(), sampler.EverCordoned);
            var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("upgrade-operator", "upgrade-system");
            Assert.StartsWith("operator-second", lease.Spec.HolderIdentity);
            await OperatorSandbox.EventuallyAsync(async () => OSStatusBuilder.IsTrue(await cluster.StatusOfAsync("upgrade"), OSStatusBuilder.Succeeded),
                "the new operator reports the OS Succeeded");
            Assert.All(processes.Where(p => p != first), p => Assert.False(p.HasExited, $"{p.Name} exited: {p.Output}"));
        }
        finally
        {
            foreach (var process in processes) await process.DisposeAsync();
        }
    }

    private static ControllerProcess StartOperator(string kubeconfig, string identity) =>
        ControllerProcess.Start(identity, "KubeOS.Operator", "os-operator", new Dictionary<string, string>
        {
            ["Operator__Kubeconfig"] = kubeconfig, ["Operator__Identity"] = identity, ["Operator__LeaseNamespace"] = "upgrade-system",
            ["Operator__LeaseDuration"] = "00:00:02", ["Operator__RenewDeadline"] = "00:00:01.500", ["Operator__RetryPeriod"] = "00:00:00.300",
            ["Operator__ResyncInterval"] = "00:00:02", ["Operator__MinPassInterval"] = "00:00:00.100", ["Operator__TimeZone"] = "UTC",
        });

    private static async Task<int> UpgradedAsync(EndToEndCluster cluster) =>
        (await cluster.Client.CoreV1.ListNodeAsync()).Items.Count(n => n.Status.NodeInfo.OsImage == EndToEndCluster.V2);

    /// <summary>A wait that times out names what each process wrote, since their logs are not otherwise visible.</summary>
    private static async Task Diagnosed(IEnumerable<ControllerProcess> processes, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (Xunit.Sdk.XunitException e)
        {
            var output = string.Join("\n", processes.Select(p => $"--- {p.Name} (exited: {p.HasExited})\n{p.Output}"));
            throw new Xunit.Sdk.XunitException(e.Message + "\n" + output);
        }
    }
}
