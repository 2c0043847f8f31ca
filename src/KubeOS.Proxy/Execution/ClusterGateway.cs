using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Proxy.Execution;

/// <summary>
/// The proxy's reads and writes of cluster objects over KubernetesClient. OS and OSInstance travel as JSON through the
/// generic custom-object API and are bound with the contract's own serializer, so unknown fields survive.
/// </summary>
public sealed class ClusterGateway(IKubernetes client)
{
    public IKubernetes Client { get; } = client;

    public async Task<V1Node?> ReadNodeAsync(string name, CancellationToken ct) =>
        await NullIfNotFound(() => Client.CoreV1.ReadNodeAsync(name, cancellationToken: ct)).ConfigureAwait(false);

    public async Task<OSInstance?> ReadInstanceAsync(string node, CancellationToken ct)
    {
        var raw = await NullIfNotFound(() => Client.CustomObjects.GetNamespacedCustomObjectAsync(
            WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, node, ct)).ConfigureAwait(false);
        return raw is null ? null : Bind<OSInstance>(raw);
    }

    public async Task<OS?> ReadOSAsync(NamespacedName name, CancellationToken ct)
    {
        if (name.Name is null) return null;
        var raw = await NullIfNotFound(() => Client.CustomObjects.GetNamespacedCustomObjectAsync(
            WellKnown.Group, WellKnown.Version, name.Namespace ?? "default", WellKnown.OSPlural, name.Name, ct)).ConfigureAwait(false);
        return raw is null ? null : Bind<OS>(raw);
    }

    public Task CreateInstanceAsync(string node, CancellationToken ct)
    {
        var osi = new OSInstance
        {
            Metadata = new ObjectMeta
            {
                Name = node, Namespace = WellKnown.OSInstanceNamespace,
                Labels = new Dictionary<string, string> { [WellKnown.Labels.OSInstanceNode] = node },
            },
            Spec = new OSInstanceSpec { NodeStatus = WellKnown.NodeStatuses.Idle },
        };
        return Client.CustomObjects.CreateNamespacedCustomObjectAsync(ManifestSerializer.ToNode(osi)!, WellKnown.Group, WellKnown.Version,
            WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, cancellationToken: ct);
    }

    /// <summary>
    /// Replaces the whole status (not a merge patch, which could not remove a field such as an old failurereason);
    /// the resourceVersion makes a concurrent writer's change fail with 409 instead of being overwritten.
    /// </summary>
    public async Task<OSInstance> ReplaceStatusAsync(OSInstance osi, OSInstanceStatus status, CancellationToken ct)
    {
        var body = ManifestSerializer.ToNode(osi)!;
        body["status"] = ManifestSerializer.ToNode(status);
        var raw = await Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(body, WellKnown.Group, WellKnown.Version,
            WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, osi.Metadata!.Name!, cancellationToken: ct).ConfigureAwait(false);
        return Bind<OSInstance>(raw);
    }

    /// <summary>A JSON merge patch of the instance's spec (nulls remove fields, as KubeOS's proxy writes namespacedname: null).</summary>
    public Task PatchInstanceSpecAsync(string node, string specJson, CancellationToken ct) =>
        Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch($"{{\"spec\":{specJson}}}", V1Patch.PatchType.MergePatch),
            WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, node, cancellationToken: ct);

    public Task SetUnschedulableAsync(string node, bool value, CancellationToken ct) =>
        Client.CoreV1.PatchNodeAsync(new V1Patch($"{{\"spec\":{{\"unschedulable\":{(value ? "true" : "false")}}}}}", V1Patch.PatchType.MergePatch), node, cancellationToken: ct);

    /// <summary>Removes labels and, when asked, uncordons, in one merge patch: one write (and one watch event) instead of two.</summary>
    public Task ReleaseNodeAsync(string node, IReadOnlyList<string> labels, bool uncordon, CancellationToken ct)
    {
        if (labels.Count == 0 && !uncordon) return Task.CompletedTask;
        var parts = new List<string>();
        if (labels.Count > 0)
            parts.Add("\"metadata\":{\"labels\":{" + string.Join(",", labels.Select(l => JsonSerializer.Serialize(l, KubeOSJsonContext.Default.String) + ":null")) + "}}");
        if (uncordon) parts.Add("\"spec\":{\"unschedulable\":false}");
        return Client.CoreV1.PatchNodeAsync(new V1Patch("{" + string.Join(",", parts) + "}", V1Patch.PatchType.MergePatch), node, cancellationToken: ct);
    }

    public async Task<IReadOnlyList<V1Pod>> PodsOnAsync(string node, CancellationToken ct) =>
        (await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}", cancellationToken: ct).ConfigureAwait(false)).Items.ToList();

    public async Task<IReadOnlyList<V1PodDisruptionBudget>> BudgetsAsync(CancellationToken ct) =>
        (await Client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items.ToList();

    /// <summary>Asks for an eviction and returns the HTTP status (201 accepted, 429 refused by a budget, ...).</summary>
    public async Task<int> EvictAsync(V1Pod pod, CancellationToken ct)
    {
        var eviction = new V1Eviction { Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty } };
        try
        {
            await Client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
            return (int)HttpStatusCode.Created;
        }
        catch (HttpOperationException e)
        {
            return (int)e.Response.StatusCode;
        }
    }

    /// <summary>True while the pod (same UID) still exists.</summary>
    public async Task<bool> PodStillThereAsync(V1Pod pod, CancellationToken ct)
    {
        var current = await NullIfNotFound(() => Client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct)).ConfigureAwait(false);
        return current is not null && current.Metadata.Uid == pod.Metadata.Uid;
    }

    private static T Bind<T>(object raw) => ManifestSerializer.FromJson<T>(raw is JsonElement e ? e.GetRawText() : KubernetesJson.Serialize(raw));

    private static async Task<T?> NullIfNotFound<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
