using Xunit;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Crds;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Operator.Hosting;
using KubeOS.Sandbox;
using KubeOS.Sandbox.Simulation;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>
/// One in-process sandbox cluster per test class: the KubeOS CRDs and ten simulated worker nodes (node-0 … node-9)
/// reporting "KubeOS v1". The os-proxy is not running: tests play its part explicitly through <see cref="ProxyStandIn"/>.
/// </summary>
public sealed class OperatorSandbox : IAsyncLifetime
{
    public const int NodeCount = 10;
    public const string FromVersion = "KubeOS v1";
    public const string TargetVersion = "KubeOS v2";

    public SandboxServer Server { get; private set; } = null!;
    public IKubernetes Client { get; private set; } = null!;
    public NodeSimulator Simulator { get; private set; } = null!;
    public ProxyStandIn Proxy { get; private set; } = null!;

    public static IReadOnlyList<string> NodeNames { get; } = Enumerable.Range(0, NodeCount).Select(i => $"node-{i}").ToList();

    public async ValueTask InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(new SandboxOptions());
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
        foreach (var yaml in CustomResourceDefinitions.All.Values)
        {
            var json = ManifestSerializer.ParseTrees(yaml).Single()!.ToJsonString();
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(json));
        }
        Simulator = await NodeSimulator.StartAsync(Client, new NodeSimulatorOptions
        {
            Nodes = NodeCount, ControlPlaneNodes = 0, OsVersion = "v1", SeedDaemonSet = false, RunControllers = false,
            ReconcileInterval = TimeSpan.FromMilliseconds(500),
        });
        Proxy = new ProxyStandIn(Client);
        await Proxy.CreateInstancesAsync(NodeNames);
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Options for an operator under test: short lease timings so takeovers happen within a test.</summary>
    public static OperatorOptions OperatorOptions(string identity) => new()
    {
        Identity = identity,
        LeaseNamespace = "upgrade-system",
        ResyncInterval = TimeSpan.FromSeconds(2),
        MinPassInterval = TimeSpan.FromMilliseconds(100),
        TimeZone = "UTC",
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1.5),
        RetryPeriod = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>Starts an operator in-process; dispose the handle to stop it (as a pod being terminated).</summary>
    public RunningOperator StartOperator(string identity) =>
        new(new OperatorRuntime(Client, OperatorOptions(identity), NullLoggerFactory.Instance));

    public static OS Upgrade(string name, int maxUnavailable, string? mode = null, string ns = "default", string? nodeSelector = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new OSSpec
        {
            OpsType = WellKnown.OpsTypes.Upgrade, OSVersion = TargetVersion, ImageType = "disk",
            ImageUrl = "https://images.example/v2.tar", Checksum = new string('a', 64),
            FlagSafe = false, Mtls = false, ContainerImage = "", EvictPodForce = true,
            MaxUnavailable = maxUnavailable, ExecutionMode = mode, TimeInterval = 0, NodeSelector = nodeSelector,
        },
    };

    public Task CreateAsync(OS os) =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync(ManifestSerializer.ToNode(os)!, WellKnown.Group, WellKnown.Version,
            os.Metadata!.Namespace!, WellKnown.OSPlural);

    public async Task<JsonObject?> StatusOfAsync(string name, string ns = "default")
    {
        var raw = await Client.CustomObjects.GetNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version, ns, WellKnown.OSPlural, name);
        return JsonNode.Parse(KubernetesJson.Serialize(raw))?["status"] as JsonObject;
    }

    public async Task<IReadOnlyList<Corev1Event>> EventsOfAsync(string name, string ns = "default") =>
        (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items
            .Where(e => e.InvolvedObject?.Kind == WellKnown.OSKind && e.InvolvedObject.Name == name).ToList();

    /// <summary>Names of the nodes carrying the label, in name order.</summary>
    public async Task<IReadOnlyList<string>> NodesLabelledAsync(string label) =>
        (await Client.CoreV1.ListNodeAsync()).Items.Where(n => n.Metadata.Labels?.ContainsKey(label) == true)
            .Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>Polls until the condition holds (the operator is asynchronous), failing after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new Xunit.Sdk.XunitException($"timed out waiting until {what}");
    }
}

/// <summary>An operator running in the background of a test.</summary>
public sealed class RunningOperator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public RunningOperator(OperatorRuntime runtime)
    {
        Runtime = runtime;
        _run = Task.Run(() => runtime.RunAsync(_stop.Token));
    }

    public OperatorRuntime Runtime { get; }

    /// <summary>Stops the operator; faults of its run loop surface here instead of vanishing with the test. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(15));
        _stop.Dispose();
    }

    private int _disposed;
}
