using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Crds;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Proxy;
using KubeOS.Proxy.Hosting;
using KubeOS.Sandbox;
using KubeOS.Sandbox.Simulation;
using KubeOS.Sandbox.Simulation.Agent;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeOS.Operator.Benchmarks;

/// <summary>What one run simulates.</summary>
/// <param name="PrestageConcurrency">0: no spec.prestage; otherwise spec.prestage.maxconcurrent.</param>
public sealed record FleetSettings(int Nodes, int MaxUnavailable, TimeSpan UpgradeTime, bool ProxiesPoll, TimeSpan MinPassInterval,
    int PrestageConcurrency = 0);

/// <summary>The figures one run is compared by when runs with and without pre-staging are set side by side.</summary>
public sealed record DisruptionFigures(string Label, TimeSpan Wall, TimeSpan DisruptionMedian, TimeSpan DisruptionP95, int DisruptionsWithDownload,
    TimeSpan SlotMedian, TimeSpan SlotP95, int SlotsWithDownload, int Windows);

/// <summary>
/// One rollout over a simulated fleet: the sandbox API server, N nodes each with a simulated os-agent whose prepare and
/// reboot together take T, the real os-proxy of every node (in this process, on one shared client whose requests are
/// counted) and os-operator as its own process. Prints the figures the fleet target is judged by.
/// </summary>
public static class FleetRun
{
    private const string Target = "KubeOS v2";

    public static async Task<int> RunAsync(FleetSettings s, Action<DisruptionFigures>? figures = null)
    {
        var setupTimer = Stopwatch.StartNew();
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { EventHistory = 200_000 });
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath);
        using var setup = new Kubernetes(config);
        foreach (var yaml in CustomResourceDefinitions.All.Values)
        {
            var json = ManifestSerializer.ParseTrees(yaml).Single()!.ToJsonString();
            await setup.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(json));
        }

        var sockets = Directory.CreateTempSubdirectory("kb-").FullName;
        using var agents = new SimulatedAgentFactory(new SimulatedAgentOptions
        {
            SocketDirectory = sockets, PrepareDuration = s.UpgradeTime / 2, RebootDuration = s.UpgradeTime / 2,
            OnError = e => Console.Error.WriteLine("simulated os-agent: " + e.Message),
        });
        await using var simulator = await NodeSimulator.StartAsync(setup, new NodeSimulatorOptions
        {
            Nodes = s.Nodes, ControlPlaneNodes = 0, OsVersion = "v1", SeedDaemonSet = false, RunControllers = false,
            // Heartbeats are not what is measured: renewed rarely, so the API server's work is the rollout's.
            ReconcileInterval = TimeSpan.FromSeconds(2), LeaseRenewInterval = TimeSpan.FromMinutes(30), NodeStatusInterval = TimeSpan.FromMinutes(30),
            Agents = agents,
        });
        Console.WriteLine($"setup: {s.Nodes} nodes with agents in {setupTimer.Elapsed.TotalSeconds:0.0}s");

        var proxyRequests = new RequestCounter();
        using var proxyClient = new Kubernetes(config, proxyRequests);
        using var stopProxies = new CancellationTokenSource();
        var proxies = simulator.NodeNames.Select(node => new ProxyRuntime(proxyClient, new ProxyOptions
        {
            NodeName = node, AgentSocket = agents.SocketPath(node),
            WatchOwnObjects = !s.ProxiesPoll, PollInterval = s.ProxiesPoll ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(15),
        }, NullLoggerFactory.Instance)).Select(p => Task.Run(() => p.RunAsync(stopProxies.Token))).ToList();
        await UntilAsync(async () => await CountInstancesAsync(setup) == s.Nodes, TimeSpan.FromMinutes(3), "every proxy created its OSInstance");
        Console.WriteLine($"setup: {s.Nodes} proxies running, OSInstances created, {setupTimer.Elapsed.TotalSeconds:0.0}s");

        await using var sampler = new UnavailabilitySampler(setup, Target, s.Nodes, s.MaxUnavailable);
        await UntilAsync(() => Task.FromResult(sampler.Known == s.Nodes), TimeSpan.FromMinutes(1), "the sampler saw every node");
        await using var windows = new DisruptionRecorder(setup);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var op = OperatorProcess.Start(server.KubeconfigPath, FreePort(), new Dictionary<string, string>
        {
            ["Operator__TimeZone"] = "UTC", ["Operator__LeaseNamespace"] = "upgrade-system",
            ["Operator__MinPassInterval"] = s.MinPassInterval.ToString("c", CultureInfo.InvariantCulture),
        });
        // Started and leading: its first pass has counted the fleet.
        await UntilAsync(async () => await TryMetricAsync(op, http, "kubeos_nodes") >= s.Nodes, TimeSpan.FromMinutes(2), "os-operator made its first pass");
        Console.WriteLine($"setup: os-operator leading, {setupTimer.Elapsed.TotalSeconds:0.0}s");

        var operatorBefore = await op.MetricAsync(http, "kubeos_operator_api_requests_total");
        var operatorCpuBefore = await op.MetricAsync(http, "process_cpu_seconds_total");
        var proxyBefore = proxyRequests.Requests;
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var rollout = Stopwatch.StartNew();
        await CreateUpgradeAsync(setup, s.MaxUnavailable, s.PrestageConcurrency);

        var ideal = TimeSpan.FromTicks(s.UpgradeTime.Ticks * (long)Math.Ceiling(s.Nodes / (double)s.MaxUnavailable));
        var progress = Task.Run(async () =>
        {
            while (!sampler.AllDone.IsCompleted)
            {
                await Task.WhenAny(sampler.AllDone, Task.Delay(TimeSpan.FromSeconds(10)));
                if (!sampler.AllDone.IsCompleted) Console.WriteLine($"  {rollout.Elapsed.TotalSeconds,6:0.0}s: {sampler.Done} done, max unavailable {sampler.Max}");
            }
        });
        var finished = await Task.WhenAny(sampler.AllDone, Task.Delay(ideal * 5 + TimeSpan.FromMinutes(2))) == sampler.AllDone;
        var wall = rollout.Elapsed;
        await progress.WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { });
        if (!finished) Console.WriteLine($"NOT FINISHED: {sampler.Done} of {s.Nodes} nodes done after {wall.TotalSeconds:0.0}s");

        var operatorRequests = await op.MetricAsync(http, "kubeos_operator_api_requests_total") - operatorBefore;
        var operatorCpu = await op.MetricAsync(http, "process_cpu_seconds_total") - operatorCpuBefore;
        var proxyDelta = proxyRequests.Requests - proxyBefore;
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds;
        var (rss, peak) = op.Rss();
        var failed = await CountFailedAsync(setup);

        Console.WriteLine();
        Console.WriteLine($"fleet: {s.Nodes} nodes, maxunavailable {s.MaxUnavailable}, T = {s.UpgradeTime.TotalSeconds:0.###}s " +
                          $"(prepare {s.UpgradeTime.TotalSeconds / 2:0.###}s + reboot {s.UpgradeTime.TotalSeconds / 2:0.###}s), " +
                          $"proxies {(s.ProxiesPoll ? "polling every 1s" : "woken by watches")}, operator MinPassInterval {s.MinPassInterval.TotalMilliseconds:0}ms");
        Console.WriteLine($"wall time                  {wall.TotalSeconds,10:0.00} s");
        Console.WriteLine($"ideal ceil(N/M)*T          {ideal.TotalSeconds,10:0.00} s");
        Console.WriteLine($"overhead ratio             {wall / ideal,10:0.000}   (target <= 1.10)");
        Console.WriteLine($"max concurrent unavailable {sampler.Max,10}   (limit {s.MaxUnavailable}; {sampler.Events} watch events sampled)");
        Console.WriteLine($"violations                 {sampler.Violations,10}   (target 0)");
        Console.WriteLine($"failed nodes               {failed,10}");
        Console.WriteLine($"API requests per node      {(proxyDelta + operatorRequests) / s.Nodes,10:0.0}   " +
                          $"(os-proxy {proxyDelta / (double)s.Nodes:0.0}, os-operator {operatorRequests / s.Nodes:0.00}; a watch counts once)");
        Console.WriteLine("os-proxy requests per node by kind: " + string.Join(", ", proxyRequests.ByKind.OrderByDescending(kv => kv.Value)
            .Select(kv => $"{kv.Key} {kv.Value / (double)s.Nodes:0.0}")) + " (setup included)");
        Console.WriteLine($"os-operator RSS            {rss / 1048576.0,10:0.0} MiB (peak {peak / 1048576.0:0.0} MiB)");
        Console.WriteLine($"os-operator CPU            {operatorCpu,10:0.00} s during the rollout");
        // What the whole simulation needed, whatever else the machine ran: on C idle cores no run can beat this floor.
        Console.WriteLine($"CPU of this process        {ownCpu,10:0.00} s during the rollout (API server, {s.Nodes} proxies, node simulator, agents)");
        Console.WriteLine($"CPU-bound floor, {Environment.ProcessorCount} cores   {(ownCpu + operatorCpu) / Environment.ProcessorCount / ideal.TotalSeconds,10:0.000}   " +
                          "(total CPU / cores / ideal: the ratio an otherwise idle machine could at best reach with this work)");

        var disruptions = windows.Disruptions;
        var slots = windows.Slots;
        var result = new DisruptionFigures(s.PrestageConcurrency > 0 ? $"pre-staged ({s.PrestageConcurrency} at once)" : "plain", wall,
            DisruptionRecorder.Quantile(disruptions, 0.5), DisruptionRecorder.Quantile(disruptions, 0.95), DisruptionRecorder.WithDownload(disruptions, agents.Agents),
            DisruptionRecorder.Quantile(slots, 0.5), DisruptionRecorder.Quantile(slots, 0.95), DisruptionRecorder.WithDownload(slots, agents.Agents), disruptions.Count);
        Console.WriteLine($"disruption cordon→uncordon  median {result.DisruptionMedian.TotalSeconds:0.00} s, p95 {result.DisruptionP95.TotalSeconds:0.00} s, " +
                          $"{result.DisruptionsWithDownload} of {disruptions.Count} windows hold a download");
        Console.WriteLine($"slot labelled→released      median {result.SlotMedian.TotalSeconds:0.00} s, p95 {result.SlotP95.TotalSeconds:0.00} s, " +
                          $"{result.SlotsWithDownload} of {slots.Count} slots hold a download");
        figures?.Invoke(result);

        await stopProxies.CancelAsync();
        await Task.WhenAll(proxies).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        Directory.Delete(sockets, recursive: true);
        return finished && sampler.Violations == 0 && failed == 0 ? 0 : 1;
    }

    private static async Task CreateUpgradeAsync(IKubernetes client, int maxUnavailable, int prestageConcurrency)
    {
        var os = new OS
        {
            Metadata = new ObjectMeta { Name = "fleet", Namespace = "default" },
            Spec = new OSSpec
            {
                OpsType = WellKnown.OpsTypes.Upgrade, OSVersion = Target, ImageType = "disk", ImageUrl = "https://images.example/v2.img",
                Checksum = new string('a', 64), FlagSafe = false, Mtls = false, ContainerImage = "", EvictPodForce = true,
                MaxUnavailable = maxUnavailable, ExecutionMode = WellKnown.ExecutionModes.Parallel, TimeInterval = 0,
                Prestage = prestageConcurrency > 0 ? new PrestageSpec { Enabled = true, MaxConcurrent = prestageConcurrency } : null,
            },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(ManifestSerializer.ToNode(os)!, WellKnown.Group, WellKnown.Version, "default", WellKnown.OSPlural);
    }

    private static async Task<int> CountInstancesAsync(IKubernetes client)
    {
        var raw = await client.CustomObjects.ListNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural);
        return JsonNode.Parse(KubernetesJson.Serialize(raw))!["items"]!.AsArray().Count;
    }

    private static async Task<int> CountFailedAsync(IKubernetes client)
    {
        var raw = await client.CustomObjects.ListNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural);
        return JsonNode.Parse(KubernetesJson.Serialize(raw))!["items"]!.AsArray().Count(i => (string?)i?["status"]?["phase"] == NodePhases.Failed);
    }

    private static async Task<double> TryMetricAsync(OperatorProcess op, HttpClient http, string name)
    {
        try { return await op.MetricAsync(http, name); }
        catch (HttpRequestException) { return 0; }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(250);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
