using k8s;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Operator.Rollout;
using KubeOS.Operator.Status;
using KubeOS.Operator.Tests.Operator;
using KubeOS.Sandbox.Simulation.Agent;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// spec.healthgate against real proxies and simulated agents: a node whose new version leaves its DaemonSet pod not
/// Ready is rolled back by itself, left cordoned with a Node condition and an Event, fails in its OSInstance, and the
/// failure budget halts the rollout — or, with onfailurebudget revert, rolls the upgraded nodes back too.
/// </summary>
public sealed class HealthGateTests
{
    private static OS GatedUpgrade(int maxFailures, string? onFailureBudget = null, int bake = 1, int timeout = 3)
    {
        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1);
        os.Spec!.MaxFailures = maxFailures;
        os.Spec.OnFailureBudget = onFailureBudget;
        os.Spec.HealthGate = new HealthGateSpec { PodSelector = "app=does-not-exist", BakeTime = bake, Timeout = timeout };
        return os;
    }

    /// <summary>Where every node stands, for a failure message.</summary>
    private static async Task<string> DescribeAsync(EndToEndCluster cluster)
    {
        var lines = new List<string>();
        foreach (var osi in await cluster.InstancesAsync())
        {
            var node = await cluster.NodeAsync(osi.Metadata!.Name!);
            lines.Add($"{osi.Metadata.Name}: {node.Status.NodeInfo.OsImage} cordoned={node.Spec.Unschedulable} nodestatus={osi.Spec?.NodeStatus} " +
                      $"phase={osi.Status?.Phase} message={osi.Status?.Message} gate={osi.Status?.Operation?.HealthGate?.Result}");
        }
        return string.Join("\n", lines);
    }

    private static async Task EventuallyAsync(EndToEndCluster cluster, Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        try
        {
            await OperatorSandbox.EventuallyAsync(condition, what, timeout);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{await DescribeAsync(cluster)}");
        }
    }

    [Fact]
    public async Task A_node_failing_the_gate_is_rolled_back_left_cordoned_and_the_rollout_halts_at_the_budget()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 4, workloads: 1, seedDaemonSet: true,
            beforeProxies: c => c.AnnotateAsync("node-1", AgentFaults.Annotation, "unhealthy-after-upgrade"));
        await cluster.CreateAsync(GatedUpgrade(maxFailures: 1));

        await EventuallyAsync(cluster, async () =>
            (string?)OSStatusBuilder.ConditionOf(await cluster.StatusOfAsync("upgrade"), OSStatusBuilder.Blocked)?["reason"] == nameof(RolloutBlock.FailureBudgetExhausted),
            "the rollout is halted by its failure budget", TimeSpan.FromSeconds(40));

        // node-0 passed the gate (bake time held) and is upgraded and uncordoned.
        var passed = await cluster.InstanceAsync("node-0");
        Assert.Equal(NodePhases.Succeeded, passed.Status?.Phase);
        Assert.Equal(HealthGateResults.Passed, passed.Status?.Operation?.HealthGate?.Result);
        Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync("node-0")).Status.NodeInfo.OsImage);
        Assert.NotEqual(true, (await cluster.NodeAsync("node-0")).Spec.Unschedulable);

        // node-1 rebooted into v2, failed the gate, rolled back to v1 by itself, and stays cordoned with a condition.
        var failed = await cluster.InstanceAsync("node-1");
        Assert.Equal(NodePhases.Failed, failed.Status?.Phase);
        Assert.Equal(NodeFailureReasons.HealthGateFailed, failed.Status?.Operation?.FailureReason);
        Assert.Contains("is not Ready", failed.Status?.Message);
        Assert.Equal(NodeFailureReasons.HealthGateFailed, failed.Status?.Conditions?.Single(c => c.Type == NodeConditionTypes.Failed).Reason);
        var node = await cluster.NodeAsync("node-1");
        Assert.Equal(EndToEndCluster.V1, node.Status.NodeInfo.OsImage);
        Assert.True(node.Spec.Unschedulable);
        var condition = node.Status.Conditions.Single(c => c.Type == NodeObjectConditions.HealthGateFailed);
        Assert.Equal("True", condition.Status);
        Assert.Contains("failed the health gate", condition.Message);
        Assert.Equal(2, cluster.Agents.Agents["node-1"].Calls.Count(c => c.Kind == AgentCallKinds.Reboot));
        var events = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default", cancellationToken: TestContext.Current.CancellationToken)).Items;
        Assert.Contains(events, e => e.InvolvedObject.Kind == "Node" && e.InvolvedObject.Name == "node-1" && e.Reason == NodeFailureReasons.HealthGateFailed);

        // The budget of one is spent: node-2 and node-3 are never taken.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        foreach (var name in new[] { "node-2", "node-3" })
        {
            Assert.Equal(EndToEndCluster.V1, (await cluster.NodeAsync(name)).Status.NodeInfo.OsImage);
            Assert.Empty(cluster.Agents.Agents[name].Calls);
            Assert.Equal(WellKnown.NodeStatuses.Idle, (await cluster.InstanceAsync(name)).Spec?.NodeStatus);
        }
    }

    [Fact]
    public async Task A_node_whose_probe_fails_is_rolled_back_and_the_others_pass_through_the_probe()
    {
        // The probe answers 503 for node-1 once it runs v2, 200 otherwise: os-proxy probes with the node's name in the URL.
        using var listener = new System.Net.HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var probed = new System.Collections.Concurrent.ConcurrentBag<string>();
        EndToEndCluster? current = null;
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception) { return; }
                var node = context.Request.Url!.AbsolutePath.Trim('/').Split('/')[^1];
                probed.Add(node);
                var image = current is null ? "" : (await current.NodeAsync(node)).Status.NodeInfo.OsImage;
                context.Response.StatusCode = node == "node-1" && image == EndToEndCluster.V2 ? 503 : 200;
                context.Response.Close();
            }
        });
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 3);
        current = cluster;
        var os = EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1);
        os.Spec!.MaxFailures = 1;
        os.Spec.HealthGate = new HealthGateSpec
        {
            HttpProbe = new HttpProbeSpec { Url = $"http://127.0.0.1:{port}/ready/$(NODE_NAME)", ExpectStatus = 200 }, Timeout = 2,
        };
        await cluster.CreateAsync(os);

        await EventuallyAsync(cluster, async () =>
            (string?)OSStatusBuilder.ConditionOf(await cluster.StatusOfAsync("upgrade"), OSStatusBuilder.Blocked)?["reason"] == nameof(RolloutBlock.FailureBudgetExhausted),
            "the rollout is halted by its failure budget", TimeSpan.FromSeconds(40));
        listener.Stop();

        Assert.Equal(EndToEndCluster.V2, (await cluster.NodeAsync("node-0")).Status.NodeInfo.OsImage);
        var failed = await cluster.InstanceAsync("node-1");
        Assert.Equal(NodeFailureReasons.HealthGateFailed, failed.Status?.Operation?.FailureReason);
        Assert.Contains("answered HTTP 503, expected 200", failed.Status?.Message);
        Assert.Equal(EndToEndCluster.V1, (await cluster.NodeAsync("node-1")).Status.NodeInfo.OsImage);
        Assert.True((await cluster.NodeAsync("node-1")).Spec.Unschedulable);
        Assert.Contains("node-0", probed);
        Assert.DoesNotContain("node-2", probed);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    [Fact]
    public async Task With_onfailurebudget_revert_the_upgraded_nodes_are_rolled_back_when_the_budget_is_spent()
    {
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 4, workloads: 1, seedDaemonSet: true,
            beforeProxies: c => c.AnnotateAsync("node-2", AgentFaults.Annotation, "unhealthy-after-upgrade"));
        await cluster.CreateAsync(GatedUpgrade(maxFailures: 1, FailureBudgetActions.Revert, bake: 0, timeout: 2));

        await EventuallyAsync(cluster, async () =>
        {
            var instances = await cluster.InstancesAsync();
            return instances.Where(i => i.Metadata?.Name is "node-0" or "node-1")
                .All(i => i.Status?.Operation?.OpsType == WellKnown.OpsTypes.Rollback && i.Status.Phase == NodePhases.Succeeded && i.Spec?.NodeStatus == WellKnown.NodeStatuses.Idle);
        }, "node-0 and node-1 were rolled back", TimeSpan.FromSeconds(60));

        foreach (var name in new[] { "node-0", "node-1" })
        {
            var node = await cluster.NodeAsync(name);
            Assert.Equal(EndToEndCluster.V1, node.Status.NodeInfo.OsImage);
            Assert.NotEqual(true, node.Spec.Unschedulable);
            var op = (await cluster.InstanceAsync(name)).Status!.Operation!;
            Assert.Equal(EndToEndCluster.V2, op.FromVersion);
            Assert.Equal(EndToEndCluster.V1, op.TargetVersion);
        }
        var failed = await cluster.InstanceAsync("node-2");
        Assert.Equal(NodeFailureReasons.HealthGateFailed, failed.Status?.Operation?.FailureReason);
        Assert.True((await cluster.NodeAsync("node-2")).Spec.Unschedulable);
        Assert.Empty(cluster.Agents.Agents["node-3"].Calls);
        var blocked = OSStatusBuilder.ConditionOf(await cluster.StatusOfAsync("upgrade"), OSStatusBuilder.Blocked)!;
        Assert.Contains("onfailurebudget is revert", (string?)blocked["message"]);
    }
}
