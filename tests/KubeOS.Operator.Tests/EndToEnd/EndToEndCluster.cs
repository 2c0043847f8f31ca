using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Crds;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Operator.Hosting;
using KubeOS.Operator.Tests.Operator;
using KubeOS.Proxy;
using KubeOS.Proxy.Hosting;
using KubeOS.Sandbox;
using KubeOS.Sandbox.Simulation;
using KubeOS.Sandbox.Simulation.Agent;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace KubeOS.Operator.Tests.EndToEnd;

/// <summary>
/// A whole KubeOS deployment in-process: the sandbox API server with the CRDs, simulated worker nodes each running a
/// simulated os-agent on its own unix socket (millisecond prepare and reboot), the real os-proxy of every node and the
/// operator. Nothing is played by the test: it writes OS objects and watches what the cluster does.
/// </summary>
public sealed class EndToEndCluster : IAsyncDisposable
{
    public const string V1 = "KubeOS v1";
    public const string V2 = "KubeOS v2";

    private readonly List<(CancellationTokenSource Stop, Task Run)> _proxies = [];
    private string _socketDirectory = "";
    private TimeSpan _drainTimeout;
    private bool _inProcessControllers;
    private Action<ProxyOptions>? _configureProxy;
    private Action<OperatorOptions>? _configureOperator;
    private bool _seedDaemonSet;

    public SandboxServer Server { get; private set; } = null!;
    public IKubernetes Client { get; private set; } = null!;
    public SimulatedAgentFactory Agents { get; private set; } = null!;
    public NodeSimulator Simulator { get; private set; } = null!;
    public RunningOperator Operator { get; private set; } = null!;
    public IReadOnlyList<string> NodeNames { get; private set; } = [];

    /// <param name="beforeProxies">Runs once the nodes exist and before any proxy or the operator starts (faults, a hand cordon).</param>
    /// <param name="prepareDuration">How long each simulated prepare_upgrade takes (default 200 ms).</param>
    /// <param name="drainTimeout">The proxies' drain deadline (default 30 s).</param>
    /// <param name="inProcessControllers">False: only the cluster, nodes and agents; the test runs os-proxy and os-operator itself.</param>
    public static async Task<EndToEndCluster> StartAsync(int nodes, int workloads = 0, Func<EndToEndCluster, Task>? beforeProxies = null,
        TimeSpan? prepareDuration = null, TimeSpan? drainTimeout = null, bool inProcessControllers = true,
        Action<ProxyOptions>? configureProxy = null, Action<OperatorOptions>? configureOperator = null, bool seedDaemonSet = false)
    {
        var cluster = new EndToEndCluster { _configureProxy = configureProxy, _configureOperator = configureOperator, _seedDaemonSet = seedDaemonSet };
        try
        {
            cluster._drainTimeout = drainTimeout ?? TimeSpan.FromSeconds(30);
            cluster._inProcessControllers = inProcessControllers;
            await cluster.InitializeAsync(nodes, workloads, beforeProxies, prepareDuration ?? TimeSpan.FromMilliseconds(200));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(int nodes, int workloads, Func<EndToEndCluster, Task>? beforeProxies, TimeSpan prepareDuration)
    {
        Server = await SandboxServer.StartAsync(new SandboxOptions());
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
        foreach (var yaml in CustomResourceDefinitions.All.Values)
        {
            var json = ManifestSerializer.ParseTrees(yaml).Single()!.ToJsonString();
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(json));
        }
        _socketDirectory = Directory.CreateTempSubdirectory("e2e-").FullName;
        Agents = new SimulatedAgentFactory(new SimulatedAgentOptions
        {
            SocketDirectory = _socketDirectory,
            PrepareDuration = prepareDuration,
            RebootDuration = TimeSpan.FromMilliseconds(300),
        });
        Simulator = await NodeSimulator.StartAsync(Client, new NodeSimulatorOptions
        {
            Nodes = nodes, ControlPlaneNodes = 0, OsVersion = "v1", SeedDaemonSet = _seedDaemonSet,
            Workloads = workloads, ReplicasPerWorkload = 3, RecreateDelay = TimeSpan.FromMilliseconds(200),
            ReconcileInterval = TimeSpan.FromMilliseconds(100), Agents = Agents,
        });
        NodeNames = Simulator.NodeNames.Order(StringComparer.Ordinal).ToList();
        if (beforeProxies is not null) await beforeProxies(this);
        if (!_inProcessControllers) return;

        foreach (var node in NodeNames)
        {
            var options = new ProxyOptions
            {
                NodeName = node, AgentSocket = Agents.SocketPath(node), PollInterval = TimeSpan.FromMilliseconds(100),
                DrainTimeout = _drainTimeout, RebootTimeout = TimeSpan.FromSeconds(30),
            };
            _configureProxy?.Invoke(options);
            var runtime = new ProxyRuntime(Client, options, NullLoggerFactory.Instance);
            var stop = new CancellationTokenSource();
            _proxies.Add((stop, Task.Run(() => runtime.RunAsync(stop.Token))));
        }
        // The proxies create their nodes' OSInstances; the operator assigns only nodes that have one.
        await OperatorSandbox.EventuallyAsync(async () => (await InstancesAsync()).Count == NodeNames.Count, "every proxy created its OSInstance");
        var operatorOptions = OperatorSandbox.OperatorOptions("e2e-operator");
        _configureOperator?.Invoke(operatorOptions);
        Operator = new RunningOperator(new OperatorRuntime(Client, operatorOptions, NullLoggerFactory.Instance));
    }

    public async ValueTask DisposeAsync()
    {
        if (Operator is not null) await Operator.DisposeAsync();
        foreach (var (stop, _) in _proxies) await stop.CancelAsync();
        // A proxy's loop ends only on cancellation, so a fault here is a real one and surfaces in the test.
        await Task.WhenAll(_proxies.Select(p => p.Run)).WaitAsync(TimeSpan.FromSeconds(15));
        foreach (var (stop, _) in _proxies) stop.Dispose();
        if (Simulator is not null) await Simulator.DisposeAsync();
        Agents?.Dispose();
        Client?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        if (_socketDirectory.Length > 0 && Directory.Exists(_socketDirectory)) Directory.Delete(_socketDirectory, recursive: true);
    }

    public static OS Upgrade(string name, int maxUnavailable) => OperatorSandbox.Upgrade(name, maxUnavailable);

    public Task CreateAsync(OS os) =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync(ManifestSerializer.ToNode(os)!, WellKnown.Group, WellKnown.Version,
            os.Metadata!.Namespace ?? "default", WellKnown.OSPlural);

    /// <summary>Merge-patches an OS's spec, as an administrator edits the manifest for the next operation.</summary>
    public Task PatchSpecAsync(string name, JsonObject spec) =>
        Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject { ["spec"] = spec }.ToJsonString(), V1Patch.PatchType.MergePatch),
            WellKnown.Group, WellKnown.Version, "default", WellKnown.OSPlural, name);

    public async Task<IReadOnlyList<OSInstance>> InstancesAsync()
    {
        var raw = await Client.CustomObjects.ListNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace,
            WellKnown.OSInstancePlural);
        var list = JsonNode.Parse(KubernetesJson.Serialize(raw))!["items"]!.AsArray();
        return list.Select(i => ManifestSerializer.FromJson<OSInstance>(i!.ToJsonString())).ToList();
    }

    public async Task<OSInstance> InstanceAsync(string node) => (await InstancesAsync()).Single(i => i.Metadata?.Name == node);

    public async Task<V1Node> NodeAsync(string node) => await Client.CoreV1.ReadNodeAsync(node);

    /// <summary>The status the operator wrote on an OS object in namespace default.</summary>
    public async Task<JsonObject?> StatusOfAsync(string name)
    {
        var raw = await Client.CustomObjects.GetNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version, "default", WellKnown.OSPlural, name);
        return JsonNode.Parse(KubernetesJson.Serialize(raw))?["status"] as JsonObject;
    }

    public Task LabelAsync(string node, string key, string value) =>
        Client.CoreV1.PatchNodeAsync(new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = value } } }.ToJsonString(),
            V1Patch.PatchType.MergePatch), node);

    public Task AnnotateAsync(string node, string key, string value) =>
        Client.CoreV1.PatchNodeAsync(new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } }.ToJsonString(),
            V1Patch.PatchType.MergePatch), node);

    public Task CordonAsync(string node) =>
        Client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":true}}", V1Patch.PatchType.MergePatch), node);

    /// <summary>
    /// Waits until every listed node's OSInstance is idle, unassigned and in a finished phase, and no node carries an
    /// operation label: the rollout is over for them.
    /// </summary>
    public async Task WaitUntilSettledAsync(IEnumerable<string> nodes, string what, TimeSpan? timeout = null)
    {
        var wanted = nodes.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var instances = (await InstancesAsync()).Where(i => wanted.Contains(i.Metadata!.Name!)).ToList();
            var labelled = (await Client.CoreV1.ListNodeAsync()).Items.Where(n => wanted.Contains(n.Metadata.Name) &&
                (n.Metadata.Labels?.ContainsKey(WellKnown.Labels.Upgrading) == true || n.Metadata.Labels?.ContainsKey(WellKnown.Labels.Configuring) == true)).ToList();
            if (instances.Count == wanted.Count && labelled.Count == 0 &&
                instances.All(i => i.Spec?.NodeStatus == WellKnown.NodeStatuses.Idle && i.Spec.NamespacedName is null && NodePhases.IsTerminal(i.Status?.Phase)))
                return;
            if (DateTime.UtcNow > deadline)
            {
                // Say where each node stands, so a stuck rollout names the node and its last step.
                var states = instances.Select(i => $"{i.Metadata!.Name}: nodestatus={i.Spec?.NodeStatus} phase={i.Status?.Phase} message={i.Status?.Message}");
                throw new Xunit.Sdk.XunitException($"timed out waiting until {what}; labelled: [{string.Join(", ", labelled.Select(n => n.Metadata.Name))}]; " +
                    string.Join("; ", states));
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
