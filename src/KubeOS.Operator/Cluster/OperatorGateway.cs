using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;

namespace KubeOS.Operator.Cluster;

/// <summary>
/// The operator's reads and writes over KubernetesClient. OS and OSInstance travel as JSON through the generic
/// custom-object API and are bound with the contract's serializer, so fields this version does not know survive.
/// </summary>
public sealed class OperatorGateway(IKubernetes client, string component = "os-operator")
{
    public IKubernetes Client { get; } = client;

    /// <summary>
    /// A fresh read of everything, bypassing any cache (for tools and checks; the loop reads <see cref="ClusterCache"/>).
    /// OSInstances are listed before Nodes: a proxy creates its OSInstance only once its Node exists, so every listed
    /// OSInstance whose node is missing from the later Node list really lost its node (and is not merely newer).
    /// </summary>
    public async Task<ClusterSnapshot> ObserveAsync(CancellationToken ct)
    {
        var rawInstances = await Client.CustomObjects.ListNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version,
            WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, cancellationToken: ct).ConfigureAwait(false);
        var nodes = await Client.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false);
        var rawOS = await Client.CustomObjects.ListClusterCustomObjectAsync(WellKnown.Group, WellKnown.Version,
            WellKnown.OSPlural, cancellationToken: ct).ConfigureAwait(false);

        var instances = ItemsOf<OSInstance>(rawInstances)
            .Where(i => i.Metadata?.Name is not null)
            .ToDictionary(i => i.Metadata!.Name!, StringComparer.Ordinal);
        var os = ItemsOf<OS>(rawOS)
            .OrderBy(o => o.Metadata?.Namespace, StringComparer.Ordinal).ThenBy(o => o.Metadata?.Name, StringComparer.Ordinal)
            .ToList();
        return new ClusterSnapshot(os, nodes.Items.Select(NodeViews.From).ToList(), instances);
    }

    /// <summary>
    /// Replaces the instance with the spec the planner chose. The body carries the observed resourceVersion, so an
    /// instance changed since (by its proxy, or another operator) is refused with 409 instead of overwritten.
    /// </summary>
    /// <returns>The resourceVersion of the written instance.</returns>
    public async Task<string?> ReplaceInstanceSpecAsync(OSInstance observed, OSInstanceSpec spec, CancellationToken ct)
    {
        var body = ManifestSerializer.ToNode(observed)!.AsObject();
        body["spec"] = ManifestSerializer.ToNode(spec);
        body.Remove("status");
        var name = observed.Metadata!.Name!;
        try
        {
            var written = await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(body, WellKnown.Group, WellKnown.Version,
                WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, name, cancellationToken: ct).ConfigureAwait(false);
            return VersionOf(written);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new StaleObservationException($"OSInstance {name} changed since it was observed", e);
        }
    }

    /// <summary>Adds (value "") or removes (null) node labels with one JSON merge patch on metadata.labels.</summary>
    /// <returns>The resourceVersion of the patched node.</returns>
    public async Task<string?> PatchNodeLabelsAsync(string node, IReadOnlyDictionary<string, string?> labels, CancellationToken ct)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject(labels.Select(l =>
            KeyValuePair.Create(l.Key, l.Value is null ? null : (JsonNode)JsonValue.Create(l.Value)))) } };
        var written = await Client.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), node, cancellationToken: ct).ConfigureAwait(false);
        return written.Metadata?.ResourceVersion;
    }

    /// <summary>Deletes an instance, only if it is still the one observed (uid precondition); gone already is fine.</summary>
    /// <returns>True when this call deleted it.</returns>
    public async Task<bool> DeleteInstanceAsync(OSInstance osi, CancellationToken ct)
    {
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = osi.Metadata?.Uid } };
        try
        {
            await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version, WellKnown.OSInstanceNamespace,
                WellKnown.OSInstancePlural, osi.Metadata!.Name!, options, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Writes status through the status subresource (a merge patch: spec is never touched).</summary>
    /// <returns>The resourceVersion of the OS object after the write.</returns>
    public async Task<string?> PatchStatusAsync(OS os, JsonObject status, CancellationToken ct)
    {
        var patch = new JsonObject { ["status"] = status.DeepClone() };
        var written = await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            WellKnown.Group, WellKnown.Version, os.Metadata?.Namespace ?? "default", WellKnown.OSPlural, os.Metadata!.Name!, cancellationToken: ct).ConfigureAwait(false);
        return VersionOf(written);
    }

    /// <summary>
    /// A core/v1 Event on the OS object, as kubectl describe shows them. Best effort: events are for people, and a
    /// refused event must not stop a rollout; false when it was not recorded.
    /// </summary>
    public async Task<bool> RecordEventAsync(OS os, string type, string reason, string message, DateTimeOffset now, CancellationToken ct)
    {
        var ns = os.Metadata?.Namespace ?? "default";
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = os.Metadata!.Name + ".", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = WellKnown.ApiVersion, Kind = WellKnown.OSKind, Name = os.Metadata.Name, NamespaceProperty = ns,
                Uid = os.Metadata.Uid, ResourceVersion = os.Metadata.ResourceVersion,
            },
            Type = type, Reason = reason, Message = message, Count = 1,
            FirstTimestamp = now.UtcDateTime, LastTimestamp = now.UtcDateTime,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component, ReportingInstance = component,
        };
        try
        {
            await Client.CoreV1.CreateNamespacedEventAsync(ev, ns, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// A core/v1 Event on a Node (namespace default, as the kubelet records node events), so kubectl describe node
    /// shows why its drain waits. Best effort, like <see cref="RecordEventAsync"/>.
    /// </summary>
    public async Task<bool> RecordNodeEventAsync(string node, string type, string reason, string message, DateTimeOffset now, CancellationToken ct)
    {
        const string ns = "default";
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = node + ".", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node },
            Type = type, Reason = reason, Message = message, Count = 1,
            FirstTimestamp = now.UtcDateTime, LastTimestamp = now.UtcDateTime,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component, ReportingInstance = component,
        };
        try
        {
            await Client.CoreV1.CreateNamespacedEventAsync(ev, ns, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException)
        {
            return false;
        }
    }

    private static string? VersionOf(object raw)
    {
        var e = raw is JsonElement element ? element : JsonDocument.Parse(KubernetesJson.Serialize(raw)).RootElement;
        return e.TryGetProperty("metadata", out var m) && m.TryGetProperty("resourceVersion", out var v) ? v.GetString() : null;
    }

    private static IEnumerable<T> ItemsOf<T>(object rawList)
    {
        var list = rawList is JsonElement e ? e : JsonDocument.Parse(KubernetesJson.Serialize(rawList)).RootElement;
        if (!list.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array) yield break;
        foreach (var item in items.EnumerateArray()) yield return ManifestSerializer.FromJson<T>(item.GetRawText());
    }
}
