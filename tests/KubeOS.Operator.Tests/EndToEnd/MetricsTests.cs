using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeOS.Operator.Tests.Operator;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>The Prometheus endpoints of os-operator and os-proxy, scraped over HTTP after a small rollout.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task After_a_rollout_the_endpoints_report_phases_and_durations()
    {
        var operatorPort = FreePort();
        var proxyPort = FreePort();
        var started = DateTime.UtcNow;
        await using var cluster = await EndToEndCluster.StartAsync(nodes: 3,
            configureOperator: o => o.MetricsPort = operatorPort,
            configureProxy: p => p.MetricsPort = p.NodeName == "node-0" ? proxyPort : 0);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var before = "";
        await OperatorSandbox.EventuallyAsync(async () =>
        {
            before = await ScrapeAsync(http, operatorPort);
            return before.Contains("kubeos_nodes{", StringComparison.Ordinal);
        }, "the leading operator's first pass counted the nodes");
        Assert.Equal(3, Value(before, "kubeos_nodes{phase=\"Idle\"}"));
        Assert.Equal(0, Value(before, "kubeos_nodes{phase=\"Succeeded\"}"));

        await cluster.CreateAsync(EndToEndCluster.Upgrade("upgrade", maxUnavailable: 1));
        await cluster.WaitUntilSettledAsync(cluster.NodeNames, "the rollout finished", TimeSpan.FromSeconds(30));
        var wall = (DateTime.UtcNow - started).TotalSeconds;

        // The operator's figures follow its next pass over the finished fleet.
        string after = "";
        await OperatorSandbox.EventuallyAsync(async () =>
        {
            after = await ScrapeAsync(http, operatorPort);
            return Value(after, "kubeos_rollout_duration_seconds_count{opstype=\"upgrade\",outcome=\"succeeded\"}") == 1;
        }, "the operator observed the rollout's end");
        Assert.Equal(3, Value(after, "kubeos_nodes{phase=\"Succeeded\"}"));
        Assert.Equal(0, Value(after, "kubeos_nodes{phase=\"Idle\"}"));
        Assert.Equal(0, Value(after, "kubeos_nodes{phase=\"Draining\"}"));
        Assert.Equal(3, Value(after, "kubeos_node_operation_duration_seconds_count{opstype=\"upgrade\",outcome=\"succeeded\"}"));
        var nodeSeconds = Value(after, "kubeos_node_operation_duration_seconds_sum{opstype=\"upgrade\",outcome=\"succeeded\"}");
        var rolloutSeconds = Value(after, "kubeos_rollout_duration_seconds_sum{opstype=\"upgrade\",outcome=\"succeeded\"}");
        // One node at a time: the rollout spans at least its nodes' operations (whole seconds each) and at most the test.
        Assert.InRange(rolloutSeconds, Math.Floor(nodeSeconds / 3), Math.Ceiling(wall) + 1);
        Assert.InRange(nodeSeconds, 0, 3 * (Math.Ceiling(wall) + 1));

        // node-0's proxy drained once, and the drain finished.
        var proxy = await ScrapeAsync(http, proxyPort);
        Assert.Equal(1, Value(proxy, "kubeos_proxy_drain_duration_seconds_count{outcome=\"Drained\"}"));
        Assert.InRange(Value(proxy, "kubeos_proxy_drain_duration_seconds_sum{outcome=\"Drained\"}"), 0.0001, wall);
    }

    /// <summary>The endpoint's text; empty while it is not listening yet (the runtime starts it on its own task).</summary>
    private static async Task<string> ScrapeAsync(HttpClient http, int port)
    {
        try
        {
            return await http.GetStringAsync($"http://127.0.0.1:{port}/metrics", TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    /// <summary>The value of one sample in the text exposition format, by its exact name and labels.</summary>
    private static double Value(string exposition, string sample)
    {
        foreach (var line in exposition.Split('\n'))
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
                return double.Parse(line[(sample.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
        throw new Xunit.Sdk.XunitException($"no sample {sample} in:\n{exposition}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
