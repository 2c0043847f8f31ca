using System.Text.Json.Nodes;
using System.Threading.Channels;
using KubeOS.Sandbox.Errors;
using KubeOS.Sandbox.Resources;

namespace KubeOS.Sandbox.Storage;

/// <summary>
/// The in-memory "etcd": every object of every resource, one global resourceVersion counter, a bounded history of
/// committed events (for watch resume and consistent pagination) and the live watchers. All writes happen under
/// <see cref="Gate"/>, which callers also take to make read-modify-write sequences atomic (it is re-entrant).
/// Stored objects are frozen: they are never mutated, only replaced, so readers may serialize them without copying.
/// </summary>
public sealed class ObjectStore
{
    public object Gate { get; } = new();

    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _data = new();

    // The same objects per namespace, so namespace-scoped lists and the disruption controller do not scan the
    // whole resource. Keys share the "ns/" prefix, so both indexes order a namespace's objects identically.
    private readonly Dictionary<(string Type, string Namespace), SortedDictionary<string, JsonObject>> _byNamespace = new();
    private readonly Queue<StoreEvent> _history = new();
    private readonly int _historyCapacity;
    private readonly List<WatchSubscription> _watchers = new();
    private long _resourceVersion;
    private long _compactedThrough;

    /// <summary>Runs inside the lock after each commit; used for the work kube-apiserver's controllers do at once.</summary>
    public event Action<StoreEvent>? Committed;

    public ObjectStore(int historyCapacity)
    {
        _historyCapacity = Math.Max(16, historyCapacity);
        _resourceVersion = 1;
        _compactedThrough = 1;
    }

    public long CurrentResourceVersion { get { lock (Gate) return _resourceVersion; } }

    /// <summary>The highest resourceVersion whose events are gone; older watches and continue tokens get 410.</summary>
    public long CompactedThrough { get { lock (Gate) return _compactedThrough; } }

    public static string KeyOf(string? ns, string name) => ns is null or "" ? name : $"{ns}/{name}";

    private SortedDictionary<string, JsonObject> Bucket(ResourceType type)
    {
        if (!_data.TryGetValue(type.Key, out var bucket))
            _data[type.Key] = bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        return bucket;
    }

    private SortedDictionary<string, JsonObject> NamespaceBucket(ResourceType type, string ns)
    {
        if (!_byNamespace.TryGetValue((type.Key, ns), out var bucket))
            _byNamespace[(type.Key, ns)] = bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        return bucket;
    }

    private void Index(ResourceType type, string? ns, string key, JsonObject? obj)
    {
        if (ns is null or "") return;
        if (obj is null) NamespaceBucket(type, ns).Remove(key);
        else NamespaceBucket(type, ns)[key] = obj;
    }

    /// <summary>The frozen stored object, or null. Do not mutate it.</summary>
    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        lock (Gate) return Bucket(type).GetValueOrDefault(KeyOf(ns, name));
    }

    public long NextResourceVersion() => ++_resourceVersion;

    /// <summary>Commits a new object. The caller has set every metadata field except resourceVersion.</summary>
    public JsonObject Add(ResourceType type, string? ns, string name, JsonObject obj)
    {
        lock (Gate)
        {
            var key = KeyOf(ns, name);
            var bucket = Bucket(type);
            if (bucket.ContainsKey(key)) throw ApiError.AlreadyExists(type.Group, type.Plural, name);
            var rv = NextResourceVersion();
            var frozen = Freeze(obj, rv);
            bucket[key] = frozen;
            Index(type, ns, key, frozen);
            Publish(new StoreEvent { ResourceVersion = rv, Type = "ADDED", Resource = type, Key = key, Namespace = ns, Object = frozen });
            return frozen;
        }
    }

    /// <summary>Commits a new state of an existing object.</summary>
    public JsonObject Replace(ResourceType type, string? ns, string name, JsonObject obj)
    {
        lock (Gate)
        {
            var key = KeyOf(ns, name);
            var bucket = Bucket(type);
            if (!bucket.TryGetValue(key, out var previous)) throw ApiError.NotFound(type.Group, type.Plural, name);
            var rv = NextResourceVersion();
            var frozen = Freeze(obj, rv);
            bucket[key] = frozen;
            Index(type, ns, key, frozen);
            Publish(new StoreEvent
            {
                ResourceVersion = rv, Type = "MODIFIED", Resource = type, Key = key, Namespace = ns,
                Object = frozen, Previous = previous,
            });
            return frozen;
        }
    }

    /// <summary>Removes an object; the DELETED event carries its last state with a new resourceVersion, as etcd does.</summary>
    public JsonObject Remove(ResourceType type, string? ns, string name)
    {
        lock (Gate)
        {
            var key = KeyOf(ns, name);
            var bucket = Bucket(type);
            if (!bucket.Remove(key, out var previous)) throw ApiError.NotFound(type.Group, type.Plural, name);
            Index(type, ns, key, null);
            var rv = NextResourceVersion();
            var last = Freeze((JsonObject)previous.DeepClone(), rv);
            Publish(new StoreEvent
            {
                ResourceVersion = rv, Type = "DELETED", Resource = type, Key = key, Namespace = ns,
                Object = last, Previous = previous,
            });
            return last;
        }
    }

    /// <summary>Drops every object of a resource (its CRD went away) with DELETED events.</summary>
    public void RemoveAll(ResourceType type)
    {
        lock (Gate)
        {
            foreach (var (key, obj) in Bucket(type).ToList())
            {
                var meta = obj["metadata"]!.AsObject();
                Remove(type, meta["namespace"]?.GetValue<string>(), meta["name"]!.GetValue<string>());
            }
        }
    }

    private static JsonObject Freeze(JsonObject obj, long rv)
    {
        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = meta;
        meta["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Re-parsing makes every number a JSON number (readable as int or long alike); the deep copy after it is
        // fully materialized, so concurrent readers never race on lazy parsing.
        return (JsonObject)JsonNode.Parse(obj.ToJsonString())!.DeepClone();
    }

    private void Publish(StoreEvent e)
    {
        _history.Enqueue(e);
        while (_history.Count > _historyCapacity) _compactedThrough = _history.Dequeue().ResourceVersion;
        foreach (var w in _watchers) w.Offer(e);
        Committed?.Invoke(e);
    }

    /// <summary>
    /// The objects of one resource (optionally one namespace) as of <paramref name="atResourceVersion"/> (null: now),
    /// in key order, starting at <paramref name="startKey"/>. Older states are rebuilt by undoing retained events.
    /// </summary>
    public (long ResourceVersion, List<KeyValuePair<string, JsonObject>> Items) Snapshot(
        ResourceType type, string? ns, long? atResourceVersion, string? startKey)
    {
        lock (Gate)
        {
            var rv = atResourceVersion ?? _resourceVersion;
            if (rv < _compactedThrough)
                throw ApiError.Expired($"too old resource version: {rv} ({_compactedThrough})");
            var scoped = ns is null or "" ? Bucket(type) : NamespaceBucket(type, ns);
            IEnumerable<KeyValuePair<string, JsonObject>> source = scoped;
            if (rv < _resourceVersion)
            {
                var state = new SortedDictionary<string, JsonObject>(scoped, StringComparer.Ordinal);
                foreach (var e in _history.Reverse())
                {
                    if (e.ResourceVersion <= rv) break;
                    if (e.Resource.Key != type.Key) continue;
                    if (ns is not (null or "") && e.Namespace != ns) continue;
                    if (e.Previous is null) state.Remove(e.Key);
                    else state[e.Key] = e.Previous;
                }
                source = state;
            }
            var prefix = ns is null or "" ? null : ns + "/";
            var items = source.Where(kv =>
                (prefix is null || kv.Key.StartsWith(prefix, StringComparison.Ordinal)) &&
                (startKey is null || string.CompareOrdinal(kv.Key, startKey) >= 0)).ToList();
            return (rv, items);
        }
    }

    /// <summary>
    /// Starts a watch. With <paramref name="fromResourceVersion"/> null the caller gets the current objects first
    /// (as synthetic ADDED events, chosen by <paramref name="initial"/>); otherwise every retained event after it.
    /// </summary>
    public WatchSubscription Watch(ResourceType type, string? ns, long? fromResourceVersion,
        Func<StoreEvent, bool> filter)
    {
        lock (Gate)
        {
            if (fromResourceVersion is { } from && from < _compactedThrough)
                throw ApiError.Expired($"too old resource version: {from} ({_compactedThrough})");
            var sub = new WatchSubscription(this, type, ns, filter) { StartResourceVersion = _resourceVersion };
            if (fromResourceVersion is null)
            {
                foreach (var (key, obj) in Bucket(type))
                {
                    var objNs = obj["metadata"]?["namespace"]?.GetValue<string>();
                    var initial = new StoreEvent
                    {
                        ResourceVersion = _resourceVersion, Type = "ADDED", Resource = type, Key = key,
                        Namespace = objNs, Object = obj,
                    };
                    if (sub.Offer(initial)) sub.InitialCount++;
                }
            }
            else
            {
                foreach (var e in _history)
                    if (e.ResourceVersion > fromResourceVersion) sub.Offer(e);
            }
            _watchers.Add(sub);
            return sub;
        }
    }

    internal void Unsubscribe(WatchSubscription sub)
    {
        lock (Gate) _watchers.Remove(sub);
    }

    public int WatcherCount { get { lock (Gate) return _watchers.Count; } }

    /// <summary>All namespaced objects of every resource in one namespace (for namespace deletion).</summary>
    public List<(ResourceType Type, string Name)> ObjectsInNamespace(IEnumerable<ResourceType> types, string ns)
    {
        lock (Gate)
        {
            var result = new List<(ResourceType, string)>();
            foreach (var t in types.Where(t => t.Namespaced))
                foreach (var (_, obj) in NamespaceBucket(t, ns))
                    result.Add((t, obj["metadata"]!["name"]!.GetValue<string>()));
            return result;
        }
    }
}

/// <summary>A live watch: committed events matching the resource, namespace and filter, queued for one client.</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly ObjectStore _store;
    private readonly ResourceType _type;
    private readonly string? _namespace;
    private readonly Func<StoreEvent, bool> _filter;
    private readonly Channel<StoreEvent> _channel = Channel.CreateUnbounded<StoreEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    internal WatchSubscription(ObjectStore store, ResourceType type, string? ns, Func<StoreEvent, bool> filter)
    {
        _store = store;
        _type = type;
        _namespace = ns is "" ? null : ns;
        _filter = filter;
    }

    public ChannelReader<StoreEvent> Events => _channel.Reader;

    /// <summary>The store's resourceVersion when the watch started.</summary>
    public long StartResourceVersion { get; internal set; }

    /// <summary>How many of the first queued events are the synthetic ADDED events of the initial state.</summary>
    public int InitialCount { get; internal set; }

    internal bool Offer(StoreEvent e)
    {
        if (e.Resource.Key != _type.Key) return false;
        if (_namespace is not null && e.Namespace != _namespace) return false;
        return _filter(e) && _channel.Writer.TryWrite(e);
    }

    public void Dispose()
    {
        _store.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
