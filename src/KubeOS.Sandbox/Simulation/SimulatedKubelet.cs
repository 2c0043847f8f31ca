using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeOS.Sandbox.Simulation;

/// <summary>
/// The kubelets of the simulated nodes: pods bound to one of them start Running and Ready, the node lease is renewed
/// as the heartbeat, and the Ready condition's heartbeat time is refreshed periodically.
/// </summary>
public sealed class SimulatedKubelet(IKubernetes client, NodeSimulatorOptions options, IReadOnlySet<string> ownNodes, TimeProvider clock)
{
    public const string LeaseNamespace = "kube-node-lease";
    private DateTimeOffset _nextLease = DateTimeOffset.MinValue;
    private DateTimeOffset _nextStatus;
    private readonly Dictionary<string, int> _podCounter = new();

    public async Task ReconcileAsync(ClusterView view, CancellationToken ct)
    {
        foreach (var pod in view.Pods.Where(p => p.Spec.NodeName is { } n && ownNodes.Contains(n) && ClusterView.IsActive(p)
                                                 && (p.Status?.Phase ?? "Pending") == "Pending"))
            await StartPodAsync(pod, view, ct);

        var now = clock.GetUtcNow();
        if (now >= _nextLease)
        {
            _nextLease = now + options.LeaseRenewInterval;
            foreach (var node in ownNodes) await RenewLeaseAsync(node, now.UtcDateTime, ct);
        }
        if (now >= _nextStatus)
        {
            if (_nextStatus != default)
                foreach (var node in view.Nodes.Where(n => ownNodes.Contains(n.Metadata.Name)))
                    await HeartbeatAsync(node, now.UtcDateTime, ct);
            _nextStatus = now + options.NodeStatusInterval;
        }
    }

    private async Task StartPodAsync(V1Pod pod, ClusterView view, CancellationToken ct)
    {
        var node = view.Nodes.FirstOrDefault(n => n.Metadata.Name == pod.Spec.NodeName);
        if (node is null || !ClusterView.IsReady(node)) return;
        var now = ToTime(clock.GetUtcNow().UtcDateTime);
        var nodeIndex = node.Spec?.PodCIDR?.Split('.') is { Length: 4 } cidr ? cidr[2] : "0";
        var count = _podCounter[node.Metadata.Name] = _podCounter.GetValueOrDefault(node.Metadata.Name) + 1;
        var containers = new JsonArray();
        foreach (var c in pod.Spec.Containers)
        {
            containers.Add(new JsonObject
            {
                ["name"] = c.Name, ["image"] = c.Image, ["imageID"] = $"{c.Image}@sha256:{new string('0', 64)}",
                ["containerID"] = $"containerd://{Guid.NewGuid():N}", ["ready"] = true, ["started"] = true, ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
            });
        }
        var conditions = new JsonArray();
        foreach (var type in new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled" })
            conditions.Add(new JsonObject { ["type"] = type, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = now });
        var status = new JsonObject
        {
            ["phase"] = "Running", ["conditions"] = conditions, ["hostIP"] = Address(node), ["podIP"] = $"10.244.{nodeIndex}.{count % 250 + 2}",
            ["startTime"] = now, ["containerStatuses"] = containers, ["qosClass"] = "BestEffort",
        };
        var patch = new JsonObject { ["status"] = status };
        await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
    }

    private static string Address(V1Node node) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? "";

    private static string ToTime(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private async Task RenewLeaseAsync(string node, DateTime now, CancellationToken ct)
    {
        var spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = 40, RenewTime = now };
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(node, LeaseNamespace, cancellationToken: ct);
            lease.Spec ??= spec;
            lease.Spec.RenewTime = now;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, node, LeaseNamespace, cancellationToken: ct);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = node }, Spec = spec,
            }, LeaseNamespace, cancellationToken: ct);
        }
    }

    private async Task HeartbeatAsync(V1Node node, DateTime now, CancellationToken ct)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (ready is null) return;
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["lastHeartbeatTime"] = ToTime(now) }),
            },
        };
        await client.CoreV1.PatchNodeStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch),
            node.Metadata.Name, cancellationToken: ct);
    }
}
