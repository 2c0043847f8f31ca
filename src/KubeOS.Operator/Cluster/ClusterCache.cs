using System.Text.Json;
using k8s;
using k8s.Models;
using KubeOS.Api;
using KubeOS.Api.Models;
using KubeOS.Api.Serialization;
using KubeOS.Operator.Reconcile;
using Microsoft.Extensions.Logging;

namespace KubeOS.Operator.Cluster;

/// <summary>
/// Watch-fed copies of what the operator decides from: OS objects (all namespaces), Nodes, and OSInstances
/// (namespace default). Every change wakes the reconcile loop; a snapshot is handed out only once the copies show
/// the operator's own earlier writes, so a decision never rests on state the operator has since changed.
/// </summary>
public sealed class ClusterCache
{
    /// <summary>How long a write may take to come back through its watch before that kind is listed afresh.</summary>
    public static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(5);
    private const int WatchSeconds = 300;

    private readonly Informer<OS> _os;
    private readonly Informer<OSInstance> _instances;
    private readonly Informer<V1Node> _nodes;
    private readonly WakeSignal _wake;

    public ClusterCache(IKubernetes client, WakeSignal wake, ILogger log)
    {
        _wake = wake;
        _os = new Informer<OS>("OS",
            async ct => FromList<OS>(await client.CustomObjects.ListClusterCustomObjectAsync(WellKnown.Group, WellKnown.Version,
                WellKnown.OSPlural, cancellationToken: ct).ConfigureAwait(false)),
            (rv, onError, ct) => Bind<OS>(client.CustomObjects.WatchListClusterCustomObjectAsync(WellKnown.Group, WellKnown.Version, WellKnown.OSPlural,
                allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct)),
            o => $"{o.Metadata?.Namespace}/{o.Metadata?.Name}", o => o.Metadata?.ResourceVersion, wake.Set, log);
        _instances = new Informer<OSInstance>("OSInstance",
            async ct => FromList<OSInstance>(await client.CustomObjects.ListNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version,
                WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, cancellationToken: ct).ConfigureAwait(false)),
            (rv, onError, ct) => Bind<OSInstance>(client.CustomObjects.WatchListNamespacedCustomObjectAsync(WellKnown.Group, WellKnown.Version,
                WellKnown.OSInstanceNamespace, WellKnown.OSInstancePlural, allowWatchBookmarks: true, resourceVersion: rv,
                timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct)),
            i => i.Metadata?.Name ?? "", i => i.Metadata?.ResourceVersion, wake.Set, log);
        _nodes = new Informer<V1Node>("Node",
            async ct =>
            {
                var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false);
                return (nodes.Items.ToList(), nodes.Metadata?.ResourceVersion);
            },
            (rv, onError, ct) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: WatchSeconds,
                onError: onError, cancellationToken: ct),
            n => n.Metadata?.Name ?? "", n => n.Metadata?.ResourceVersion, wake.Set, log, PlannerInputChanged);
    }

    private IEnumerable<(string Kind, bool CaughtUp, Action Relist)> All =>
    [
        (_os.Kind, _os.CaughtUp, _os.RequestRelist),
        (_instances.Kind, _instances.CaughtUp, _instances.RequestRelist),
        (_nodes.Kind, _nodes.CaughtUp, _nodes.RequestRelist),
    ];

    /// <summary>Full lists made so far over all kinds (three at start, more after broken watches).</summary>
    public long Lists => _os.Lists + _instances.Lists + _nodes.Lists;

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(_os.RunAsync(ct), _instances.RunAsync(ct), _nodes.RunAsync(ct));

    /// <summary>
    /// A snapshot that includes every write registered so far; waits for the watches to deliver them, and after
    /// <see cref="CatchUpTimeout"/> lists the lagging kinds afresh.
    /// </summary>
    public async Task<ClusterSnapshot> ObserveAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + CatchUpTimeout;
        while (All.Any(k => !k.CaughtUp))
        {
            if (DateTime.UtcNow >= deadline)
            {
                foreach (var k in All.Where(k => !k.CaughtUp)) k.Relist();
                deadline = DateTime.UtcNow + CatchUpTimeout;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), ct).ConfigureAwait(false);
        }
        var os = _os.Items().OrderBy(o => o.Metadata?.Namespace, StringComparer.Ordinal).ThenBy(o => o.Metadata?.Name, StringComparer.Ordinal).ToList();
        var instances = _instances.Items().Where(i => i.Metadata?.Name is not null).ToDictionary(i => i.Metadata!.Name!, StringComparer.Ordinal);
        return new ClusterSnapshot(os, _nodes.Items().Select(NodeViews.From).ToList(), instances);
    }

    public void WroteOS(string? resourceVersion) => _os.Wrote(resourceVersion);
    public void WroteInstance(string? resourceVersion) => _instances.Wrote(resourceVersion);
    public void WroteNode(string? resourceVersion) => _nodes.Wrote(resourceVersion);

    /// <summary>
    /// Kubelets rewrite their Node for heartbeats all the time; only what the planner reads (labels, osImage,
    /// schedulability, readiness) is worth a pass. The copy is updated either way.
    /// </summary>
    private static bool PlannerInputChanged(V1Node? before, V1Node after) =>
        before is null || !NodeViews.SameInputs(NodeViews.From(before), NodeViews.From(after));

    private static (IReadOnlyList<T>, string?) FromList<T>(object raw)
    {
        var list = AsElement(raw);
        var version = list.TryGetProperty("metadata", out var m) && m.TryGetProperty("resourceVersion", out var v) ? v.GetString() : null;
        var items = list.TryGetProperty("items", out var i) && i.ValueKind == JsonValueKind.Array
            ? i.EnumerateArray().Select(e => ManifestSerializer.FromJson<T>(e.GetRawText())).ToList()
            : [];
        return (items, version);
    }

    private static async IAsyncEnumerable<(WatchEventType, T)> Bind<T>(IAsyncEnumerable<(WatchEventType, object)> events)
    {
        await foreach (var (type, raw) in events.ConfigureAwait(false))
            yield return (type, ManifestSerializer.FromJson<T>(AsElement(raw).GetRawText()));
    }

    private static JsonElement AsElement(object raw) => raw is JsonElement e ? e : JsonDocument.Parse(KubernetesJson.Serialize(raw)).RootElement;
}
