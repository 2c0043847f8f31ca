using System.Collections.Concurrent;
using System.Reflection;
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
using Xunit;

namespace KubeOS.Operator.Tests.Operator;

/// <summary>
/// The sandbox does not enforce RBAC, so this test does it: the operator and the proxies run a whole upgrade (with
/// evictions) and a node removal, each through its own client that records every request, and every request must be
/// allowed by the roles module/deploy/operator binds to that component's ServiceAccount. Grants that no request used
/// are reported too, so the roles cannot silently grow beyond what the code calls.
/// </summary>
public sealed class RbacAuditTests
{
    private static readonly string Folder = Path.Combine(
        typeof(RbacAuditTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!,
        "module", "deploy", "operator");

    [Fact]
    public async Task Operator_and_proxy_calls_during_an_upgrade_are_all_granted_by_their_roles_and_every_grant_is_used()
    {
        var ct = TestContext.Current.CancellationToken;
        var operatorCalls = new ConcurrentQueue<ApiRequest>();
        var proxyCalls = new ConcurrentQueue<ApiRequest>();
        await using var server = await SandboxServer.StartAsync(new SandboxOptions());
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath);
        using var admin = new Kubernetes(config);
        using var operatorClient = new Kubernetes(config, new RecordingHandler(operatorCalls));
        using var proxyClient = new Kubernetes(config, new RecordingHandler(proxyCalls));
        foreach (var yaml in CustomResourceDefinitions.All.Values)
        {
            await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml), cancellationToken: ct);
        }
        var sockets = Directory.CreateTempSubdirectory("rbac-audit-");
        using var agents = new SimulatedAgentFactory(new SimulatedAgentOptions
        {
            SocketDirectory = sockets.FullName, PrepareDuration = TimeSpan.FromMilliseconds(100), RebootDuration = TimeSpan.FromMilliseconds(200),
        });
        await using var simulator = await NodeSimulator.StartAsync(admin, new NodeSimulatorOptions
        {
            Nodes = 3, ControlPlaneNodes = 0, OsVersion = "v1", SeedDaemonSet = false, Workloads = 1, ReplicasPerWorkload = 3,
            RecreateDelay = TimeSpan.FromMilliseconds(200), ReconcileInterval = TimeSpan.FromMilliseconds(100), Agents = agents,
        }, cancellationToken: ct);
        var nodes = simulator.NodeNames.Order(StringComparer.Ordinal).ToList();
        var proxies = nodes.Select(node =>
        {
            var runtime = new ProxyRuntime(proxyClient, new ProxyOptions
            {
                NodeName = node, AgentSocket = agents.SocketPath(node), PollInterval = TimeSpan.FromMilliseconds(100),
                DrainTimeout = TimeSpan.FromSeconds(30), RebootTimeout = TimeSpan.FromSeconds(30),
            }, NullLoggerFactory.Instance);
            var stop = new CancellationTokenSource();
            return (Stop: stop, Run: Task.Run(() => runtime.RunAsync(stop.Token)));
        }).ToList();
        try
        {
            await OperatorSandbox.EventuallyAsync(async () => (await Instances(admin)).Count == nodes.Count, "every proxy created its OSInstance");
            await using (new RunningOperator(new OperatorRuntime(operatorClient, OperatorSandbox.OperatorOptions("rbac-audit"), NullLoggerFactory.Instance)))
            {
                await admin.CustomObjects.CreateNamespacedCustomObjectAsync(ManifestSerializer.ToNode(OperatorSandbox.Upgrade("upgrade", 1))!,
                    WellKnown.Group, WellKnown.Version, "default", WellKnown.OSPlural, cancellationToken: ct);
                await OperatorSandbox.EventuallyAsync(async () => (await Instances(admin)).All(i => i.Status?.Phase == NodePhases.Succeeded && i.Spec?.NodeStatus == WellKnown.NodeStatuses.Idle),
                    "every node finished the upgrade", TimeSpan.FromSeconds(60));

                // A node that leaves the cluster: the operator deletes its OSInstance.
                await proxies[^1].Stop.CancelAsync();
                await admin.CoreV1.DeleteNodeAsync(nodes[^1], cancellationToken: ct);
                await OperatorSandbox.EventuallyAsync(async () => (await Instances(admin)).All(i => i.Metadata?.Name != nodes[^1]), "the operator deleted the removed node's OSInstance");
            }
        }
        finally
        {
            foreach (var (stop, _) in proxies) await stop.CancelAsync();
            await Task.WhenAll(proxies.Select(p => p.Run)).WaitAsync(TimeSpan.FromSeconds(15));
            sockets.Delete(recursive: true);
        }

        var roles = DeployedRoles.Load(Folder);
        AssertGrantedAndUsed("upgrade-operator", operatorCalls, roles);
        AssertGrantedAndUsed("upgrade-proxy", proxyCalls, roles);
        Assert.Contains(proxyCalls, c => c.Resource == "pods/eviction");
    }

    // Grants whose calls this scenario does not reach, each with where the code makes it.
    private static readonly Dictionary<string, string> NotExercised = new()
    {
        // Drainer lists the budgets only when a drain times out, to name the budget that blocked it.
        ["list policy/poddisruptionbudgets"] = "src/KubeOS.Proxy/Execution/Drainer.cs",
        // os-proxy marks a node that failed spec.healthgate (EndToEnd/HealthGateTests exercise it).
        ["patch core/nodes/status"] = "src/KubeOS.Proxy/Execution/NodeNotifier.cs",
        ["create core/events"] = "src/KubeOS.Proxy/Execution/NodeNotifier.cs",
    };

    private static void AssertGrantedAndUsed(string account, IEnumerable<ApiRequest> calls, DeployedRoles roles)
    {
        var rules = roles.RulesFor(account, "upgrade-system");
        var requests = calls.ToList();
        Assert.NotEmpty(requests);
        var denied = requests.Where(r => !rules.Any(rule => rule.Allows(r))).Select(r => r.ToString()).Distinct().Order().ToList();
        Assert.True(denied.Count == 0, $"{account} made calls its roles do not grant:\n{string.Join("\n", denied)}");

        var unused = rules.SelectMany(rule => rule.Grants()).Where(g => !requests.Any(r => g.Matches(r))).Select(g => g.ToString())
            .Where(g => !NotExercised.ContainsKey(g)).Distinct().Order().ToList();
        Assert.True(unused.Count == 0, $"{account}'s roles grant what it never called:\n{string.Join("\n", unused)}");
    }

    private static async Task<List<OSInstance>> Instances(IKubernetes client)
    {
        var raw = await client.CustomObjects.ListNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural);
        return JsonNode.Parse(KubernetesJson.Serialize(raw))!["items"]!.AsArray().Select(i => ManifestSerializer.FromJson<OSInstance>(i!.ToJsonString())).ToList();
    }
}

/// <summary>One API request in RBAC's terms: verb, API group, resource (with subresource), namespace and name.</summary>
public sealed record ApiRequest(string Verb, string Group, string Resource, string? Namespace, string? Name)
{
    /// <summary>Parses /api/v1/... and /apis/group/version/... paths as the API server's request-info resolver does.</summary>
    public static ApiRequest Parse(HttpMethod method, Uri uri)
    {
        var parts = uri.AbsolutePath.Trim('/').Split('/');
        var (group, rest) = parts[0] == "api" ? ("", parts[2..]) : (parts[1], parts[3..]);
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }
        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        if (rest.Length > 2) resource += "/" + rest[2];
        var watch = uri.Query.Contains("watch=true", StringComparison.Ordinal) || uri.Query.Contains("watch=1", StringComparison.Ordinal);
        var verb = method.Method switch
        {
            "GET" => watch ? "watch" : name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => method.Method.ToLowerInvariant(),
        };
        return new ApiRequest(verb, group, resource, ns, name);
    }

    public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Namespace is null ? "" : $" in {Namespace}")}{(Name is null ? "" : $" name {Name}")}";
}

/// <summary>Records every request a client sends.</summary>
public sealed class RecordingHandler(ConcurrentQueue<ApiRequest> calls) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        calls.Enqueue(ApiRequest.Parse(request.Method, request.RequestUri!));
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The (Cluster)Roles of module/deploy/operator and the ServiceAccounts their bindings name.</summary>
public sealed class DeployedRoles(List<object> objects)
{
    public static DeployedRoles Load(string folder) =>
        new(Directory.GetFiles(folder, "*.yaml").SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f))).ToList());

    public IReadOnlyList<BoundRule> RulesFor(string account, string accountNamespace)
    {
        bool Binds(IEnumerable<Rbacv1Subject> subjects) => subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account && s.NamespaceProperty == accountNamespace);
        var clusterWide = objects.OfType<V1ClusterRoleBinding>().Where(b => Binds(b.Subjects))
            .SelectMany(b => objects.OfType<V1ClusterRole>().Single(r => r.Metadata.Name == b.RoleRef.Name).Rules)
            .Select(r => new BoundRule(r, null));
        var namespaced = objects.OfType<V1RoleBinding>().Where(b => Binds(b.Subjects))
            .SelectMany(b => objects.OfType<V1Role>().Single(r => r.Metadata.Name == b.RoleRef.Name && r.Metadata.NamespaceProperty == b.Metadata.NamespaceProperty).Rules
                .Select(r => new BoundRule(r, b.Metadata.NamespaceProperty)));
        return clusterWide.Concat(namespaced).ToList();
    }
}

/// <summary>A policy rule and, for a Role, the one namespace it applies in.</summary>
public sealed record BoundRule(V1PolicyRule Rule, string? Namespace)
{
    public bool Allows(ApiRequest request) => Grants().Any(g => g.Matches(request));

    public IEnumerable<Grant> Grants() =>
        from g in Rule.ApiGroups from r in Rule.Resources from v in Rule.Verbs
        select new Grant(v, g, r, Namespace, Rule.ResourceNames?.ToList());
}

public sealed record Grant(string Verb, string Group, string Resource, string? Namespace, IReadOnlyList<string>? Names)
{
    // RBAC cannot limit create (or list/watch) by resourceNames: a name-limited rule never matches them.
    public bool Matches(ApiRequest r) =>
        r.Verb == Verb && r.Group == Group && r.Resource == Resource && (Namespace is null || r.Namespace == Namespace) &&
        (Names is null || (r.Name is not null && r.Verb != "create" && Names.Contains(r.Name)));

    public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Namespace is null ? "" : $" in {Namespace}")}{(Names is null ? "" : $" names {string.Join(",", Names)}")}";
}
